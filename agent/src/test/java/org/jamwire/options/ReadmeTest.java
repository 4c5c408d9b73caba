package org.jamwire.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README at the repository root against the parser: it must list what the parser takes. */
class ReadmeTest {

    private static final String README = read();

    private static String read() {
        final Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        try {
            return Files.readString(module.resolve("../README.md").normalize(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("README.md not found beside the agent module", e);
        }
    }

    /** The text between the begin and end markers named {@code name}. */
    private static String block(String name) {
        final int begin = README.indexOf("<!-- " + name + ":begin");
        final int end = README.indexOf("<!-- " + name + ":end -->");
        assertTrue(begin >= 0 && end > begin, "README has no " + name + " block");
        return README.substring(README.indexOf("-->", begin) + "-->\n".length(), end);
    }

    @Test
    void readme_names_every_option_the_parser_takes() {
        for (OptionTable table : List.of(LinkOptions.TABLE, DemoOptions.TABLE, NetsimOptions.TABLE)) {
            for (String name : table.names()) {
                assertTrue(HelpTextTest.mentionsName(README, name), "README lacks " + name);
            }
        }
    }

    @Test
    void readme_option_tables_are_the_generated_ones() {
        assertEquals(HelpText.markdownOptionTables(), block("options"),
                "paste this between the options markers in README.md");
    }

    @Test
    void readme_flag_table_is_the_generated_one() {
        assertEquals(HelpText.markdownSeedFlagTable(), block("seed-flags"),
                "paste this between the seed-flags markers in README.md");
    }

    @Test
    void readme_lists_every_exit_code() {
        for (ExitCode.Entry e : ExitCode.ALL) {
            assertTrue(README.contains("| " + e.code() + " |"), "README lacks exit code "
                    + e.code());
        }
    }

    @Test
    void readme_starts_with_the_two_commands_for_a_fresh_machine() {
        final String top = README.substring(0, README.indexOf("\n## "));
        assertTrue(top.contains("./jamwire demo"), top);
        assertTrue(top.contains("scripts/test"), top);
    }
}
