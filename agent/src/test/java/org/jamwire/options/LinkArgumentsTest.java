package org.jamwire.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.PatchMode;
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
        assertEquals("options.peer", problem("server", null, Map.of("peer", "h:0")).field());
        assertEquals("options.peer", problem("client", "h", Map.of("peer", "h")).field());
    }

    @Test
    void shell_metacharacters_are_only_ever_values() throws Exception {
        final String nasty = "a'; rm -rf / #$(x)`y`";
        final LinkArguments.Problem p = problem("client", nasty, Map.of());
        assertEquals("host", p.field());
        assertEquals("host", problem("client", "$(id)", Map.of()).field());
        assertEquals("host", problem("hubclient", "a;b", Map.of()).field());
        assertEquals("options.clientname", problem("server", null, Map.of("clientname", "evil\u202egnp.exe")).field());
        assertEquals("options.clientname", problem("server", null, Map.of("clientname", "a\u001b[2Jb")).field());
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

    @Test
    void hub_requests_parse_as_the_command_line_hubs() throws Exception {
        final Command server = LinkArguments.parseAny(LinkArguments.arguments("hubserver", null,
                Map.of("hubpatch", "4", "upmix", true, "bindport", 5000)));
        final HubConfig hub = ((Command.HubServer) server).config();
        assertEquals(PatchMode.FULL_MIX, hub.patch());
        assertEquals(5000, hub.tcpPort());
        assertEquals(HubConfig.defaultUdpBase(5000), hub.udpBasePort());
        assertEquals(true, hub.upmix());
        final Command client = LinkArguments.parseAny(LinkArguments.arguments("hubclient", "192.0.2.10",
                Map.of("remotename", "alice")));
        assertEquals("alice", ((Command.HubClient) client).remoteName());
        assertEquals("192.0.2.10", ((Command.HubClient) client).config().peerHost());
    }

    @Test
    void a_hub_option_at_the_wrong_end_names_its_option() {
        final LinkArguments.Problem p = assertThrows(LinkArguments.InvalidLink.class, () -> LinkArguments.parseAny(
                LinkArguments.arguments("hubclient", "h.example", Map.of("hubpatch", "2")))).problem();
        assertEquals("options.hubpatch", p.field());
        final LinkArguments.Problem k = assertThrows(LinkArguments.InvalidLink.class, () -> LinkArguments.parseAny(
                LinkArguments.arguments("hubclient", "h.example", Map.of("remotename", "a:b")))).problem();
        assertEquals("options.remotename", k.field());
    }

    @Test
    void the_p2p_parser_still_refuses_hubs_for_front_doors_that_run_p2p_links_only() {
        assertEquals("options", problem("hubserver", null, Map.of()).field().substring(0, 7));
    }
}
