package org.jamwire.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jamwire.options.Command;
import org.jamwire.options.UsageException;
import org.jamwire.web.AgentSettings;

/**
 * The agent's settings from its command line and its config file, the command line winning. The
 * config file is JSON with the keys listed in {@link #KEYS}; every value is checked as the command
 * line checks it, and a wrong one names the file, the key and the rule. Called on the main thread.
 */
final class AgentConfig {

    static final Set<String> KEYS = Set.of("listen", "port", "allowHosts", "tokenFile", "jackServer", "feedRateHz",
            "labInventory", "scrapeTokenFile", "hubPasswordFile");
    private static final long MAX_FILE_BYTES = 64 * 1024;

    /**
     * The settings, the config file's path and whether it was read (for the start-up message), and
     * the lab's inventory to import at start (an absolute path to a regular file), or null.
     */
    record Loaded(AgentSettings settings, Path configFile, boolean configRead, Path labInventory) {
    }

    private AgentConfig() {
    }

    /** Where the agent keeps its files: $XDG_CONFIG_HOME/jamwire, or ~/.config/jamwire. */
    static Path configDir() {
        final String xdg = System.getenv("XDG_CONFIG_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("jamwire");
    }

    /**
     * The token file the agent uses when started without options: the default config file's tokenFile,
     * else {@code token} in {@link #configDir()}. The agent keeps its known_hosts beside it.
     *
     * @throws UsageException when the default config file cannot be used
     */
    static Path defaultTokenFile() throws UsageException {
        return load(new Command.Agent(null, null, null, null, null, null, null, null)).settings().tokenFile();
    }

    /**
     * Reads the config file (the one given, or the default one if it exists) and merges the command line over it.
     *
     * @throws UsageException when the file is missing (if given), unreadable, not JSON, has an unknown key or a
     *     wrong value
     */
    static Loaded load(Command.Agent cli) throws UsageException {
        final boolean explicit = cli.configFile() != null;
        final Path file = explicit ? Path.of(cli.configFile()) : configDir().resolve("agent.json");
        JsonNode config = null;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsageException("config file " + file + ": larger than 64 KiB; is it the right file?");
            }
            config = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new UsageException("--config: " + file + " does not exist");
            }
        } catch (JsonProcessingException e) {
            throw new UsageException("config file " + file + ": not valid JSON"
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UsageException("config file " + file + ": cannot read it: " + e.getMessage());
        }
        if (config != null && !config.isObject()) {
            throw new UsageException("config file " + file + ": must be a JSON object, e.g. {\"port\": 8464}");
        }
        final FileValues f = new FileValues(file, config);
        final String listen = cli.listenAddress() != null ? cli.listenAddress() : f.text("listen", "127.0.0.1");
        final int port = cli.port() != null ? cli.port() : f.whole("port", AgentSettings.DEFAULT_PORT, 0, 65535);
        final List<String> hosts = cli.allowHosts() != null ? cli.allowHosts() : f.list("allowHosts");
        final String token = cli.tokenFile() != null ? cli.tokenFile()
                : f.text("tokenFile", configDir().resolve("token").toString());
        final String jack = cli.jackServer() != null ? cli.jackServer() : f.text("jackServer", null);
        final int rate = cli.feedRateHz() != null ? cli.feedRateHz()
                : f.whole("feedRateHz", AgentSettings.DEFAULT_FEED_HZ, 1, 30);
        if (!listen.matches("[0-9A-Fa-f.:]{2,45}")) {
            throw new UsageException("config file " + file + ": listen: '" + listen + "' is not an IP address");
        }
        final String scrape = f.text("scrapeTokenFile", null);
        final String hubPassword = f.text("hubPasswordFile", null);
        final AgentSettings settings = new AgentSettings(listen, port, hosts, Path.of(token), jack, rate,
                AgentSettings.MAX_BODY_BYTES, AgentSettings.MAX_FRAME_BYTES, AgentSettings.AUTH_TIMEOUT_MILLIS,
                scrape == null ? null : Path.of(scrape), hubPassword == null ? null : Path.of(hubPassword));
        final Path inventory = cli.labInventory() != null ? inventory("--lab-inventory", cli.labInventory())
                : f.text("labInventory", null) == null ? null
                : inventory("config file " + file + ": labInventory", f.text("labInventory", null));
        return new Loaded(settings, file, config != null, inventory);
    }

    /** The inventory file named, with ~/ expanded, once it is known to be a regular file. */
    private static Path inventory(String where, String given) throws UsageException {
        final String home = System.getProperty("user.home");
        final Path p = (given.startsWith("~/") ? Path.of(home, given.substring(2)) : Path.of(given))
                .toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new UsageException(where + ": " + p + " does not exist; give the lab's Ansible inventory file,"
                    + " e.g. ~/jamwire-lab/inventory.yml");
        }
        if (!Files.isRegularFile(p)) {
            throw new UsageException(where + ": " + p + " is not a regular file; give the inventory file itself");
        }
        return p;
    }

    /** The config file's values, each checked when read. */
    private static final class FileValues {
        private final Path file;
        private final JsonNode node;

        FileValues(Path file, JsonNode node) throws UsageException {
            this.file = file;
            this.node = node;
            if (node != null) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!KEYS.contains(e.getKey())) {
                        throw new UsageException("config file " + file + ": unknown key '" + e.getKey()
                                + "'; the keys are " + String.join(", ", KEYS.stream().sorted().toList()));
                    }
                }
            }
        }

        private JsonNode get(String key) {
            return node == null ? null : node.get(key);
        }

        String text(String key, String fallback) throws UsageException {
            final JsonNode v = get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new UsageException("config file " + file + ": " + key + ": must be a non-empty string");
            }
            return v.asText();
        }

        int whole(String key, int fallback, int min, int max) throws UsageException {
            final JsonNode v = get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
                throw new UsageException("config file " + file + ": " + key + ": use a whole number from " + min
                        + " to " + max);
            }
            return v.asInt();
        }

        List<String> list(String key) throws UsageException {
            final JsonNode v = get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            final List<String> out = new ArrayList<>();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (item.isTextual() && item.asText().matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
                        out.add(item.asText());
                        continue;
                    }
                    out.clear();
                    break;
                }
                if (out.size() == v.size()) {
                    return out;
                }
            }
            throw new UsageException("config file " + file + ": " + key + ": must be a list of host names, e.g."
                    + " [\"studio-a.local\"]");
        }
    }
}
