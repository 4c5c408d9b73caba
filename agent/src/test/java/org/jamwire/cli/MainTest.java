package org.jamwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.options.BuildInfo;
import org.jamwire.options.Command;
import org.jamwire.options.CommandLine;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;
import org.junit.jupiter.api.Test;

/** What {@code jamwire} prints and returns, with a runner that records what it was asked. */
class MainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final RecordingRunner runner = new RecordingRunner();

    private static final class RecordingRunner implements LinkRunner {
        LinkConfig link;
        Command.Demo demo;
        Command.Netsim netsim;
        Command.Agent agent;
        Command.LabTrust labTrust;

        @Override
        public int runLink(Command.Run run) {
            link = run.config();
            return 7;
        }

        @Override
        public int runHubClient(Command.HubClient h) {
            link = h.config();
            return 3;
        }

        @Override
        public int runHubServer(Command.HubServer h) {
            return 4;
        }

        @Override
        public int runDemo(Command.Demo d) {
            demo = d;
            return 8;
        }

        @Override
        public int runNetsim(Command.Netsim n) {
            netsim = n;
            return 9;
        }

        @Override
        public int runLinkTest(Command.LinkTest t) {
            return 5;
        }

        @Override
        public int runAgent(Command.Agent a) {
            agent = a;
            return 6;
        }

        @Override
        public int runLabTrust(Command.LabTrust t) {
            labTrust = t;
            return 11;
        }
    }

    private int main(String line) {
        return new Main(runner, out, err).run(line.isEmpty() ? new String[0] : line.split(" "));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_usage_error_exits_2_with_the_problem_and_the_pointer_on_stderr() {
        assertEquals(ExitCode.USAGE, main("-s -a 0"));
        assertEquals("jamwire: -a/--numchannels: '0' is not allowed: use a whole number from 1 to"
                + " 255\nrun 'jamwire --help' for all options\n", err().replace("\r\n", "\n"));
        assertEquals("", out());
        assertNull(runner.link);
    }

    @Test
    void help_goes_to_stdout_and_exits_0() {
        assertEquals(ExitCode.OK, main("--help"));
        assertEquals(helpText("--help"), out());
        assertEquals("", err());
    }

    @Test
    void version_prints_the_build_version() {
        assertEquals(ExitCode.OK, main("--version"));
        assertEquals("JamWire " + BuildInfo.version(), out().strip());
    }

    @Test
    void the_build_version_was_filled_in_by_maven() {
        final String version = BuildInfo.version();
        assertFalse(version.contains("${") || version.equals("unknown"), version);
    }

    @Test
    void a_link_goes_to_the_runner_and_its_exit_code_is_returned() {
        assertEquals(7, main("-j -z 64 -b 2 -q 2 -a 8 -t 192.0.2.10"));
        assertNotNull(runner.link);
        assertEquals(Role.CLIENT, runner.link.role());
        assertEquals(8, runner.link.sendChannels());
    }

    @Test
    void warnings_go_to_stderr_before_the_link_runs() {
        main("-s --bitres 32");
        assertTrue(err().startsWith("jamwire: warning: --bitres 32"), err());
        assertNotNull(runner.link);
    }

    @Test
    void a_demo_goes_to_the_runner() {
        assertEquals(8, main("demo --seconds 3"));
        assertEquals(3, runner.demo.seconds());
    }

    @Test
    void a_netsim_goes_to_the_runner() {
        assertEquals(9, main("netsim --to 127.0.0.1:4464 --loss 2"));
        assertEquals(0.02, runner.netsim.toServer().loss());
        assertNull(runner.link);
    }

    @Test
    void an_agent_goes_to_the_runner_with_only_what_was_given() {
        assertEquals(6, main("agent --port 0 --allow-host studio.local,desk.local"));
        assertEquals(0, runner.agent.port());
        assertEquals(List.of("studio.local", "desk.local"), runner.agent.allowHosts());
        assertNull(runner.agent.listenAddress());
        assertNull(runner.agent.configFile());
    }

    @Test
    void an_agent_refuses_a_link_option_and_says_where_it_belongs() {
        assertEquals(ExitCode.USAGE, main("agent --queue 4"));
        assertNull(runner.agent);
        org.junit.jupiter.api.Assertions.assertTrue(err().contains("--queue"), err());
    }

    @Test
    void lab_trust_goes_to_the_runner_with_the_inventory_and_the_fingerprints() {
        final String fingerprint = "SHA256:FzXgMBQAHFkZZe6xUqipzEgFua5KySJnT9ES1qGU+uk";
        assertEquals(11, main("lab trust --yes-if-fingerprint " + fingerprint + " /tmp/lab/inventory.yml"));
        assertEquals("/tmp/lab/inventory.yml", runner.labTrust.inventory());
        assertEquals(List.of(fingerprint), runner.labTrust.fingerprints());
        assertNull(runner.labTrust.knownHosts());
        assertNull(runner.labTrust.agentKnownHosts());
    }

    @Test
    void lab_help_is_its_own() throws UsageException {
        assertEquals(0, main("lab trust --help"));
        assertEquals(helpText("lab", "trust", "--help"), out());
        assertTrue(out().contains("--yes-if-fingerprint"), out());
        assertNull(runner.labTrust);
    }

    @Test
    void agent_help_is_the_agents_own() throws UsageException {
        assertEquals(0, main("agent --help"));
        assertEquals(helpText("agent", "--help"), out());
        org.junit.jupiter.api.Assertions.assertFalse(out().contains("--numchannels"), "link options belong elsewhere");
        assertNull(runner.agent);
    }

    private static String helpText(String... args) {
        try {
            return ((Command.Help) CommandLine.parse(args)).text();
        } catch (UsageException e) {
            throw new AssertionError(e);
        }
    }
}
