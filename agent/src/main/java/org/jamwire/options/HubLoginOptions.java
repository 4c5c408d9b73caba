package org.jamwire.options;

/**
 * What a hub client's command line says about logging in ({@code -A}); the password itself is read
 * only when the client runs, from the file, the environment or the terminal. Control thread.
 *
 * @param username the user name, or null to ask for it
 * @param passwordFile the file to read the password from, or null
 * @param hubCert the certificate to pin (a PEM file or a fingerprint), or null
 * @param insecureSkipCertCheck accept any certificate
 */
public record HubLoginOptions(String username, String passwordFile, String hubCert, boolean insecureSkipCertCheck) {

    /** The environment variable a hub client reads its password from when no file is named. */
    public static final String PASSWORD_VARIABLE = "JAMWIRE_HUB_PASSWORD";
}
