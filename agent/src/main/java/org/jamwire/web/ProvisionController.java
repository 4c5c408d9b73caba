package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.Jobs;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.ProvisionJob;
import org.jamwire.coordinator.Provisioning;
import org.jamwire.coordinator.SshException;

/**
 * Provisioning peers: each run of the lab's playbook against one peer is a job on a thread of its
 * own; the endpoints start and show jobs, and the live feed's {@code provisions} topic streams their
 * lines. The start and end of each job are also {@code provision} events. Called on HTTP threads;
 * the job list is guarded by this object.
 */
final class ProvisionController implements AutoCloseable {

    /** Jobs kept, the oldest finished ones forgotten first. */
    static final int MAX_JOBS = 20;

    private final ObjectMapper json;
    private final Provisioning provisioning;
    private final EventBus bus;
    private final Map<String, ProvisionJob> jobs = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    ProvisionController(ObjectMapper json, Provisioning provisioning, EventBus bus) {
        this.json = json;
        this.provisioning = provisioning;
        this.bus = bus;
    }

    /** The jobs kept, oldest first. */
    synchronized List<ProvisionJob> jobs() {
        return new ArrayList<>(jobs.values());
    }

    static Map<String, Object> view(ProvisionJob j) {
        final Map<String, Object> v = summary(j);
        final ProvisionJob.Lines lines = j.since(0, ProvisionJob.MAX_LINES);
        v.put("firstLine", lines.from());
        v.put("lines", lines.lines());
        return v;
    }

    private static Map<String, Object> summary(ProvisionJob j) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", j.id());
        v.put("peer", j.peer());
        v.put("check", j.check());
        v.put("state", j.state().name().toLowerCase(Locale.ROOT));
        v.put("startedAt", j.started().toString());
        v.put("endedAt", j.ended() == null ? null : j.ended().toString());
        v.put("task", j.task());
        v.put("tasksStarted", j.tasksStarted());
        v.put("tasksTotal", j.tasksTotal());
        v.put("exit", j.exit());
        v.put("recap", j.recap());
        v.put("error", j.error());
        return v;
    }

    /** The feed's message for a job: where it is, and its lines from {@code lines.from()} on. */
    static Map<String, Object> feedMessage(ProvisionJob j, ProvisionJob.Lines lines) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", "provision");
        v.putAll(summary(j));
        v.put("from", lines.from());
        v.put("lines", lines.lines());
        return v;
    }

    void list(Context ctx) {
        ctx.json(jobs().stream().map(ProvisionController::view).toList());
    }

    void get(Context ctx) {
        final ProvisionJob j;
        synchronized (this) {
            j = jobs.get(ctx.pathParam("id"));
        }
        if (j == null) {
            throw ApiException.notFound("no provisioning '" + ctx.pathParam("id").replaceAll("[^A-Za-z0-9]", "?")
                    + "': GET /api/lab/provisions lists them");
        }
        ctx.json(view(j));
    }

    void start(Context ctx) {
        final String name = ctx.pathParam("name");
        final boolean check = check(ctx);
        synchronized (this) {
            if (runningFor(name) != null) {
                throw new ApiException(409, "conflict", null, null, "a provisioning of '" + Bodies.clip(name) + "' runs"
                        + " already (" + runningFor(name).id() + "): wait for it to end");
            }
        }
        final Provisioning.Plan plan;
        try {
            plan = provisioning.prepare(name, check);
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (SshException e) {
            if (e.kind() == SshException.Kind.UNKNOWN_HOST_KEY || e.kind() == SshException.Kind.CHANGED_HOST_KEY) {
                throw new SshErrors.HostKey(e.kind() == SshException.Kind.UNKNOWN_HOST_KEY
                        ? "unknown_host_key" : "changed_host_key", e, "nothing was run on " + name + ": its host key"
                        + " is not trusted here. Probe it and trust it first. " + e.getMessage());
            }
            throw new SshErrors.Failure(e);
        } catch (Provisioning.Unavailable e) {
            throw new ApiException(503, "unavailable", null, null, e.getMessage());
        }
        final ProvisionJob job;
        synchronized (this) {
            // The checks above took a while: another request may have started one meanwhile.
            if (runningFor(name) != null) {
                throw new ApiException(409, "conflict", null, null, "a provisioning of '" + Bodies.clip(name) + "' runs"
                        + " already (" + runningFor(name).id() + "): wait for it to end");
            }
            job = plan.job("v" + nextId.getAndIncrement());
            jobs.put(job.id(), job);
            forgetOld();
        }
        bus.publish(new AgentEvent(null, "provision", job.id() + ": " + (check ? "dry run of the provisioning of "
                : "provisioning ") + name + " started", Instant.now()));
        Jobs.start("provision-" + job.id(), () -> {
            provisioning.run(plan, job);
            bus.publish(new AgentEvent(null, "provision", ended(job), Instant.now()));
        });
        ctx.status(202).json(view(job));
    }

    private static String ended(ProvisionJob job) {
        final ProvisionJob.Recap r = job.recap();
        final String counts = r == null ? "" : " (ok=" + r.ok() + " changed=" + r.changed() + " failed=" + r.failed()
                + " unreachable=" + r.unreachable() + ")";
        return job.id() + ": " + job.peer() + ": " + job.state().name().toLowerCase(Locale.ROOT) + counts
                + (job.state() == ProvisionJob.State.FAILED && job.error() != null ? ": " + job.error() : "");
    }

    private boolean check(Context ctx) {
        if (ctx.body().isBlank()) {
            return false;
        }
        final JsonNode b = Bodies.object(json, ctx);
        Bodies.onlyFields(b, List.of("check"), "what gets installed is set in "
                + provisioning.settingsFile().getFileName() + " on this machine");
        final JsonNode c = b.get("check");
        if (c != null && !c.isBoolean()) {
            throw ApiException.invalid("check", "true or false", "check: true for a dry run (--check --diff), false"
                    + " or absent to provision");
        }
        return c != null && c.asBoolean();
    }

    private ProvisionJob runningFor(String peer) {
        for (ProvisionJob j : jobs.values()) {
            if (j.peer().equals(peer) && j.state() == ProvisionJob.State.RUNNING) {
                return j;
            }
        }
        return null;
    }

    private void forgetOld() {
        final var it = jobs.values().iterator();
        while (jobs.size() > MAX_JOBS && it.hasNext()) {
            if (it.next().state() != ProvisionJob.State.RUNNING) {
                it.remove();
            }
        }
    }

    /** Stops the runs still going. */
    @Override
    public void close() {
        provisioning.close();
    }
}
