package org.jamwire.options;

import org.jamwire.text.Printable;

/**
 * The command line is wrong. The message names the option, the value given and what is allowed,
 * and ends with a pointer to the help. Thrown on the control thread by {@link CommandLine}.
 */
public final class UsageException extends Exception {

    /** The line that follows every problem. */
    public static final String HELP_HINT = "run 'jamwire --help' for all options";

    private final String problem;

    /** Creates the exception for one problem, e.g. {@code "-q/--queue: '0' is not allowed: ..."}. */
    public UsageException(String problem) {
        this(Printable.escapeControls(problem), true);
    }

    /** Whatever a value typed into the problem holds, it never writes a line or a terminal code. */
    private UsageException(String safe, boolean escaped) {
        super(safe + "\n" + HELP_HINT);
        this.problem = safe;
    }

    /** The problem alone, without the pointer to the help. */
    public String problem() {
        return problem;
    }
}
