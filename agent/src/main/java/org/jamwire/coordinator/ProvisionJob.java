package org.jamwire.coordinator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One provisioning of a peer as it goes: the lines ansible-playbook printed (the last
 * {@link #MAX_LINES}, each numbered from the run's first), the task it is at, and at the end its
 * exit code and the recap's counts for the peer. Lines are added by the job's own thread
 * ({@link Provisioning}); HTTP threads and the feed's thread read it. Guarded by itself.
 */
public final class ProvisionJob {

    /** Where the job is. */
    public enum State { RUNNING, DONE, FAILED }

    /** Lines kept per job. */
    public static final int MAX_LINES = 500;
    /** A longer line is cut here, so that one module's output cannot fill the feed. */
    static final int MAX_LINE_CHARS = 2000;

    private static final Pattern TASK = Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(.*)\\]");
    private static final Pattern RECAP = Pattern.compile("^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+"
            + "unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)\\s+ignored=(\\d+)");
    /** The row of stars Ansible pads headings with, which says nothing in a browser. */
    private static final Pattern STARS = Pattern.compile("\\s*\\*{3,}\\s*$");

    /**
     * The PLAY RECAP's counts for the peer.
     */
    public record Recap(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
    }

    /**
     * Lines of a job from one on.
     *
     * @param from the number of the first line given (the job's first line is 0)
     * @param lines the lines
     * @param next the number the job's next line will get
     */
    public record Lines(long from, List<String> lines, long next) {
    }

    private final String id;
    private final String peer;
    private final boolean check;
    private final Instant started = Instant.now();
    private final String secret;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long next;
    private State state = State.RUNNING;
    private String task;
    private int tasksStarted;
    private int tasksTotal;
    private Set<String> listed = Set.of();
    private final Set<String> counted = new HashSet<>();
    private Integer exit;
    private Recap recap;
    private String error;
    private Instant ended;
    private long version;

    /**
     * @param secret a string that must never be kept (the token written to the peer), or null
     */
    ProvisionJob(String id, String peer, boolean check, String secret) {
        this.id = id;
        this.peer = peer;
        this.check = check;
        this.secret = secret;
    }

    public String id() {
        return id;
    }

    public String peer() {
        return peer;
    }

    /** Whether this is a dry run ({@code --check --diff}). */
    public boolean check() {
        return check;
    }

    public Instant started() {
        return started;
    }

    public synchronized State state() {
        return state;
    }

    /** The task running now, as {@code role : name}, or null. */
    public synchronized String task() {
        return task;
    }

    /** Tasks started so far. */
    public synchronized int tasksStarted() {
        return tasksStarted;
    }

    /** Tasks the playbook lists for the peer, or 0 when not known; handlers come on top. */
    public synchronized int tasksTotal() {
        return tasksTotal;
    }

    /** ansible-playbook's exit code, once it exited. */
    public synchronized Integer exit() {
        return exit;
    }

    /** The recap's counts for the peer, once printed. */
    public synchronized Recap recap() {
        return recap;
    }

    /** Why the job failed without a recap, or null. */
    public synchronized String error() {
        return error;
    }

    public synchronized Instant ended() {
        return ended;
    }

    /** Goes up on every change, so that the feed can tell what it sent already. */
    public synchronized long version() {
        return version;
    }

    /** The kept lines from number {@code from} on, at most {@code max}; kept lines start later when older ones went. */
    public synchronized Lines since(long from, int max) {
        final long first = next - lines.size();
        final long start = Math.max(from, first);
        final List<String> out = new ArrayList<>();
        long n = first;
        for (String line : lines) {
            if (n >= start && out.size() < max) {
                out.add(line);
            }
            n++;
        }
        return new Lines(start, out, next);
    }

    /**
     * The tasks the run will start, as {@code --list-tasks} names them ("role : task"). Only these
     * count as progress: handlers, fact gathering and dynamically included tasks do not, so the
     * count never passes the total.
     */
    synchronized void tasks(Set<String> names) {
        listed = Set.copyOf(names);
        tasksTotal = listed.size();
        version++;
    }

    /** A line ansible-playbook printed: the secret taken out, the stars off, cut to its limit. */
    synchronized void add(String raw) {
        String line = secret == null || secret.isEmpty() ? raw : raw.replace(secret, "********");
        line = STARS.matcher(line).replaceFirst("");
        if (line.length() > MAX_LINE_CHARS) {
            line = line.substring(0, MAX_LINE_CHARS) + "…";
        }
        final Matcher t = TASK.matcher(line);
        if (t.find()) {
            task = t.group(1);
            if (listed.contains(task.strip()) && counted.add(task.strip())) {
                tasksStarted = counted.size();
            }
        }
        final Matcher r = RECAP.matcher(line);
        if (r.find() && r.group(1).equals(peer)) {
            recap = new Recap(Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)), Integer.parseInt(r.group(4)),
                    Integer.parseInt(r.group(5)), Integer.parseInt(r.group(6)), Integer.parseInt(r.group(7)),
                    Integer.parseInt(r.group(8)));
        }
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
        next++;
        version++;
    }

    /** The run ended with {@code code}: done when it is 0 and the recap counts no failure. */
    synchronized void exited(int code) {
        exit = code;
        state = code == 0 && recap != null && recap.failed() == 0 && recap.unreachable() == 0 ? State.DONE
                : State.FAILED;
        if (state == State.FAILED && error == null) {
            error = switch (code) {
                case 0 -> "ansible-playbook printed no recap for " + peer;
                case 2 -> "a task failed on " + peer + ": its lines say which and why";
                case 4 -> peer + " could not be reached over ssh: its lines say why";
                default -> "ansible-playbook exited with " + code + ": its lines say why";
            };
        }
        task = null;
        ended = Instant.now();
        version++;
    }

    /** The run could not start or was stopped, for {@code why}. */
    synchronized void failed(String why) {
        if (state == State.RUNNING) {
            state = State.FAILED;
            error = secret == null || secret.isEmpty() ? why : why.replace(secret, "********");
            task = null;
            ended = Instant.now();
            version++;
        }
    }
}
