package org.jamwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkArgumentsTest {

    private static LinkArguments.Problem problem(String mode, String host, Map<String, ?> options) {
        return assertThrows(LinkArguments.InvalidLink.class, () -> LinkArguments.parse(
                LinkArguments.arguments(mode, host, options))).problem();
    }

    @Test
    void a_request_becomes_the_command_line_it_stands_for() throws Exception {
        final Map<String, Object> o = new LinkedHashMap<>();
        o.put("numchannels", 8);
        o.put("queue", "auto");
        o.put("timeout", true);
        o.put("nojackportsconnect", false);
        assertEquals(List.of("--client", "h.example", "--numchannels", "8", "--queue", "auto", "--timeout"),
                LinkArguments.arguments("client", "h.example", o));
    }

    @Test
    void every_parser_refusal_names_its_option() {
        assertEquals("options.numchannels", problem("server", null, Map.of("numchannels", "300")).field());
        assertEquals("options.bitres", problem("server", null, Map.of("bitres", "12")).field());
        assertEquals("use one of 8, 16, 24, 32", problem("server", null, Map.of("bitres", "12")).rule());
        assertEquals("options.clientname", problem("server", null, Map.of("clientname", "x".repeat(64))).field());
        assertEquals("options.signal", problem("server", null, Map.of("signal", "square")).field());
    }

    @Test
    void shell_metacharacters_are_only_ever_values() throws Exception {
        final String nasty = "a'; rm -rf / #$(x)`y`";
        final LinkArguments.Problem p = problem("client", nasty, Map.of());
        assertEquals("options.client", p.field());
        assertEquals("jamwire --clientname 'a'\\''; rm -rf / #$(x)`y`'",
                LinkArguments.commandLine(List.of("--clientname", nasty)));
    }

    @Test
    void options_that_the_mode_stands_for_are_refused() {
        assertEquals("options.server", problem("client", "h", Map.of("server", true)).field());
        assertEquals("options.help", problem("server", null, Map.of("help", true)).field());
    }

    @Test
    void problem_of_finds_the_long_name_and_rule() {
        final LinkArguments.Problem p = LinkArguments.problemOf("-q/--queue: '0' is not allowed: use a whole number");
        assertEquals("options.queue", p.field());
        assertEquals("use a whole number", p.rule());
        assertEquals("options", LinkArguments.problemOf("say which end this is").field());
    }
}
