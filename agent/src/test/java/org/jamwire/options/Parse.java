package org.jamwire.options;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jamwire.link.LinkConfig;

/** Shorthands for the parser tests: a command line is one string split at spaces. */
final class Parse {

    private Parse() {
    }

    static String[] args(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }

    static Command command(String line) throws UsageException {
        return CommandLine.parse(args(line));
    }

    static Command.Run run(String line) throws UsageException {
        return assertInstanceOf(Command.Run.class, command(line));
    }

    static LinkConfig config(String line) throws UsageException {
        return run(line).config();
    }

    static Command.Demo demo(String line) throws UsageException {
        return assertInstanceOf(Command.Demo.class, command(line));
    }

    /** The problem the line is rejected for. */
    static String problem(String line) {
        return assertThrows(UsageException.class, () -> command(line)).problem();
    }
}
