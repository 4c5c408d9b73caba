package org.jamwire.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an authenticating hub client ({@code -A}) sends and trusts: a user name, a password, and how
 * the hub's certificate is checked. The password is a char array so that it can be wiped after the
 * handshake; it never comes from the command line. Control thread.
 */
public final class HubLogin {

    private final String user;
    private final char[] password;
    private final HubTrust trust;

    /** Keeps {@code password} itself (not a copy), so that {@link #wipe} clears the caller's array. */
    public HubLogin(String user, char[] password, HubTrust trust) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** The user name. */
    public String user() {
        return user;
    }

    char[] password() {
        return password;
    }

    /** How the hub's certificate is checked. */
    public HubTrust trust() {
        return trust;
    }

    /** Overwrites the password. */
    public void wipe() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "HubLogin[user=" + user + ", trust=" + trust.kind() + "]";
    }
}
