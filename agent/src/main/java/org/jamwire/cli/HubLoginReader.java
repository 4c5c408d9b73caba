package org.jamwire.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jamwire.control.HubLogins;
import org.jamwire.options.HubLoginOptions;
import org.jamwire.options.UsageException;

/**
 * Gathers a hub client's login ({@code -A}) when it runs: the user name from {@code --username} or a
 * prompt, the password from {@code --password-file} (only if no one but its owner may read or
 * write it), else from {@value HubLoginOptions#PASSWORD_VARIABLE}, else from the terminal without echo,
 * else from one line of standard input; and the certificate check. Never from the command line.
 * Main thread.
 */
final class HubLoginReader {

    private final Map<String, String> env;
    private final Console console;
    private final BufferedReader stdin;
    private final PrintStream err;

    HubLoginReader(Map<String, String> env, Console console, InputStream stdin, PrintStream err) {
        this.env = env;
        this.console = console;
        this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.err = err;
    }

    /**
     * The login the options describe.
     *
     * @throws UsageException saying which source failed and how to fix it
     */
    HubLogins.Login read(HubLoginOptions o) throws UsageException {
        HubLogins.checkTrust(o);
        final String user = o.username() != null ? o.username() : ask("Username: ", false);
        if (user == null || user.isEmpty()) {
            throw new UsageException("-A/--auth: no user name: give --username NAME");
        }
        final char[] password = password(o);
        if (password.length == 0) {
            throw new UsageException("-A/--auth: the password is empty; a hub refuses an empty password");
        }
        if (o.insecureSkipCertCheck()) {
            err.println("jamwire: warning: --insecure-skip-cert-check: the hub's certificate is not checked, so"
                    + " whoever can intercept this connection can pose as the hub and read the password");
        }
        return new HubLogins.Login(user, password, o);
    }

    private char[] password(HubLoginOptions o) throws UsageException {
        if (o.passwordFile() != null) {
            return HubLogins.readPasswordFile(Path.of(o.passwordFile()), "--password-file");
        }
        final String fromEnv = env.get(HubLoginOptions.PASSWORD_VARIABLE);
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (console != null) {
            final char[] typed = console.readPassword("Password: ");
            if (typed == null) {
                throw new UsageException("-A/--auth: no password was typed");
            }
            return typed;
        }
        final String line = ask("", true);
        if (line == null) {
            throw new UsageException("-A/--auth: no password: give --password-file FILE, set "
                    + HubLoginOptions.PASSWORD_VARIABLE + ", or type it when asked");
        }
        return line.toCharArray();
    }

    /** A line from the terminal, or from standard input when there is none; null at its end. */
    private String ask(String prompt, boolean secret) throws UsageException {
        if (console != null && !secret) {
            return console.readLine(prompt);
        }
        try {
            return stdin.readLine();
        } catch (IOException e) {
            throw new UsageException("-A/--auth: cannot read standard input: " + e.getMessage());
        }
    }
}
