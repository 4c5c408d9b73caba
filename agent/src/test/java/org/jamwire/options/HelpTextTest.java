package org.jamwire.options;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The help against the parser's own tables: every option, default and range the parser knows is
 * in the help, and every example in the help parses.
 */
class HelpTextTest {

    private static final String HELP = HelpText.render();
    /** The help with line breaks and indentation folded, so wrapped phrases still match. */
    private static final String FLAT = HELP.replaceAll("\\s+", " ");

    static boolean mentionsName(String text, String name) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(text)
                .find();
    }

    private static void assertMentions(String expected) {
        assertTrue(FLAT.contains(expected), "help does not say: " + expected);
    }

    @Test
    void help_names_every_link_option() {
        for (String name : LinkOptions.TABLE.names()) {
            assertTrue(mentionsName(HELP, name), "help does not mention " + name);
        }
    }

    @Test
    void agent_help_names_every_agent_option() {
        final String agent = HelpText.renderAgent();
        for (OptionSpec o : AgentOptions.TABLE.options()) {
            if (o != LinkOptions.HELP && o != LinkOptions.VERSION) {
                assertTrue(agent.contains(o.longName()), "agent help does not mention " + o.longName());
            }
        }
    }

    @Test
    void lab_help_names_every_lab_option_and_fits_in_a_terminal() {
        final String lab = HelpText.renderLab();
        for (OptionSpec o : LabOptions.TABLE.options()) {
            if (o == LinkOptions.HELP || o == LinkOptions.VERSION) {
                continue;
            }
            assertTrue(lab.contains(o.synopsis()), o.synopsis());
            assertTrue(HELP.contains(o.synopsis()), o.synopsis());
        }
        assertTrue(HELP.contains("jamwire lab trust INVENTORY"), "the usage names lab trust");
        lab.lines().forEach(l -> assertTrue(l.length() <= 100, "too long: " + l));
    }

    @Test
    void help_names_every_demo_option() {
        for (String name : DemoOptions.TABLE.names()) {
            assertTrue(mentionsName(HELP, name), "help does not mention " + name);
        }
    }

    @Test
    void help_names_every_netsim_option() {
        for (String name : NetsimOptions.TABLE.names()) {
            assertTrue(mentionsName(HELP, name), "help does not mention " + name);
        }
    }

    @Test
    void help_gives_every_option_its_description_default_and_range() {
        for (OptionTable table : List.of(LinkOptions.TABLE, DemoOptions.TABLE, NetsimOptions.TABLE)) {
            for (OptionSpec o : table.options()) {
                assertFalse(o.description().isBlank(), o.longName());
                assertMentions(o.description());
                assertMentions("Default: " + o.defaultText() + ".");
                if (o.takesValue()) {
                    assertMentions("Allowed: " + o.rangeText() + ".");
                }
            }
        }
    }

    @Test
    void help_gives_both_meanings_of_every_seed_flag() {
        for (SeedFlag f : SeedFlag.ALL) {
            assertMentions(f.flag() + " here: " + f.here());
            assertMentions("jacktrip 1.7: " + f.jacktrip());
            if (f.jacktripHere() != null) {
                assertMentions("here use " + f.jacktripHere());
            }
        }
    }

    @Test
    void help_lists_the_jacktrip_options_jamwire_rejects() {
        for (UnknownOption.JacktripOnly j : UnknownOption.JACKTRIP_ONLY) {
            assertMentions(j.label() + " (" + j.what() + ")");
        }
    }

    @Test
    void help_shows_the_old_manuals_lines() {
        assertMentions("jamwire -j -z 64 -b 2 -q 2 -a 8 -r ");
        assertMentions("jamwire -j -z 64 -b 2 -q 2 -a 8 -t HOST");
    }

    @Test
    void every_jamwire_example_in_the_help_parses() {
        final List<String> examples = HELP.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("jamwire -") || l.startsWith("jamwire demo")
                        || l.startsWith("jamwire netsim"))
                .map(l -> l.split(" {2,}")[0])
                .filter(l -> !l.contains("|") && !l.contains("["))
                .collect(Collectors.toList());
        assertTrue(examples.size() >= 10, "examples found: " + examples);
        assertTrue(examples.stream().filter(l -> l.startsWith("jamwire netsim")).count() >= 2,
                "netsim examples found: " + examples);
        for (String example : examples) {
            final String[] args = example.substring("jamwire ".length()).split(" ");
            assertDoesNotThrow(() -> CommandLine.parse(args), example);
        }
    }

    @Test
    void help_explains_the_ports_and_offsets() {
        for (String port : List.of("4464", "4474", "4484", "4494")) {
            assertMentions(port);
        }
        assertMentions("-o 0, 10, 20 and 30");
    }

    @Test
    void help_lists_every_exit_code() {
        for (ExitCode.Entry e : ExitCode.ALL) {
            assertTrue(HELP.contains("\n  " + e.code() + " "), "exit code " + e.code());
            assertMentions(e.meaning());
        }
    }

    @Test
    void help_warns_about_32_bit_samples_with_jacktrip() {
        assertMentions("Use 16 or 24 bits with a jacktrip peer");
    }

    @Test
    void help_lines_fit_in_a_terminal() {
        HELP.lines().forEach(l -> assertTrue(l.length() <= 100, "too long: " + l));
    }
}
