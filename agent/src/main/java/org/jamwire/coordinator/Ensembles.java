package org.jamwire.coordinator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jamwire.control.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's ensembles: their saved definitions, and the job of each one started, the last one
 * kept after it ends so that its steps can be read. Definitions are saved to their file on every
 * change. Called on HTTP threads; each job runs on a thread of its own.
 */
public final class Ensembles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ensembles.class);

    /** What a request asked for that cannot be; the message says why and what to do. */
    public static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /**
     * An ensemble as listed: its definition, and its job if it was started.
     *
     * @param ensemble the definition
     * @param job the last job that started it, or null
     */
    public record Entry(Ensemble ensemble, EnsembleJob job) {
    }

    private final EnsembleFile file;
    private final EnsembleRunFile runFile;
    private final Map<String, EnsembleJob.Attached> running;
    private final Lab lab;
    private final Consumer<EnsembleJob> onChange;
    private final Map<String, Ensemble> saved;
    private final Map<String, EnsembleJob> jobs = new HashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    /** This machine, for ensembles whose hub runs here; set once the agent listens. */
    private volatile ThisMachine here;
    /** Set as this agent stops: what runs then is kept in the file as it was, for the next agent. */
    private boolean closed;

    /**
     * @param runFile where the running ensembles are kept, for an agent that starts again
     * @param onChange told of every step of every job, on its thread
     * @throws IOException when a file exists but cannot be read
     */
    public Ensembles(EnsembleFile file, EnsembleRunFile runFile, Lab lab, Consumer<EnsembleJob> onChange)
            throws IOException {
        this.file = file;
        this.runFile = runFile;
        this.lab = lab;
        this.saved = file.load();
        this.running = runFile.load();
        this.onChange = job -> {
            keep(job);
            onChange.accept(job);
        };
    }

    /** Lets ensembles run their hub on this machine, through {@code here}; called once this agent listens. */
    public void thisMachine(ThisMachine machine) {
        this.here = machine;
    }

    /**
     * Finds again every ensemble that ran when this agent last stopped: a job each, on a thread of
     * its own, that connects to its machines and asks their agents for its links.
     */
    public synchronized void resume() {
        for (Map.Entry<String, EnsembleJob.Attached> e : running.entrySet()) {
            final Ensemble ensemble = saved.get(e.getKey());
            if (ensemble != null && !jobs.containsKey(e.getKey())) {
                final EnsembleJob job = EnsembleJob.reattach("e" + nextId.getAndIncrement(), ensemble, e.getValue(),
                        lab, here, onChange);
                jobs.put(ensemble.name(), job);
                Jobs.start("ensemble-" + job.id(), job::run);
            }
        }
    }

    /** Keeps a job's ends once it runs, and forgets them once it stops or a start fails. */
    private void keep(EnsembleJob job) {
        final String name = job.ensemble().name();
        final String state = job.state();
        synchronized (this) {
            // A job let go of as this agent stops may still report (a watchdog's last look): its
            // ensemble runs on, and stays in the file for the agent that starts next.
            if (closed || jobs.get(name) != job) {
                return;
            }
            if (state.equals("running")) {
                running.put(name, job.attached());
            } else if (state.equals("stopped") || state.equals("failed") && !job.reattached()) {
                running.remove(name);
            } else {
                return;
            }
            try {
                runFile.save(running);
            } catch (IOException e) {
                // The ensemble runs on; only an agent that starts again would not find it.
                LOG.warn("cannot keep the running ensembles in their file: {}", e.getMessage());
            }
        }
    }

    /** Every saved ensemble, in the order they were first saved. */
    public synchronized List<Entry> list() {
        final List<Entry> all = new ArrayList<>();
        saved.values().forEach(e -> all.add(new Entry(e, jobs.get(e.name()))));
        return all;
    }

    /** The saved ensemble {@code name}, or null. */
    public synchronized Entry get(String name) {
        final Ensemble e = saved.get(name);
        return e == null ? null : new Entry(e, jobs.get(name));
    }

    /**
     * Saves {@code ensemble}, in place of one of the same name.
     *
     * @throws Lab.LabException when the hub (unless this machine) or a member is not a peer; its field names which
     * @throws Conflict when the one it replaces is starting or running
     */
    public synchronized void save(Ensemble ensemble) throws Lab.LabException, Conflict, IOException {
        if (!ensemble.hubHere()) {
            lab.get(ensemble.hub());
        }
        for (int i = 0; i < ensemble.members().size(); i++) {
            try {
                lab.get(ensemble.members().get(i).peer());
            } catch (Lab.LabException e) {
                throw new Lab.LabException("members[" + i + "].peer", "members[" + i + "].peer: " + e.getMessage());
            }
        }
        refuseIfLive(ensemble.name(), "change it");
        saved.put(ensemble.name(), ensemble);
        file.save(saved.values());
    }

    /**
     * Starts the saved ensemble {@code name}.
     *
     * @return its job, just started; its steps show how it goes
     * @throws Conflict when it is starting or running already
     * @throws Lab.LabException when there is no such ensemble
     */
    public synchronized EnsembleJob start(String name) throws Conflict, Lab.LabException {
        final Ensemble e = saved.get(name);
        if (e == null) {
            throw notSaved(name);
        }
        refuseIfLive(name, "start it again");
        final EnsembleJob job = EnsembleJob.start("e" + nextId.getAndIncrement(), e, lab, here, onChange);
        jobs.put(name, job);
        Jobs.start("ensemble-" + job.id(), job::run);
        return job;
    }

    /**
     * Stops the ensemble {@code name}: its members, then its hub.
     *
     * @return its job, stopped, or null when it was never started
     * @throws Lab.LabException when there is no such ensemble
     */
    public EnsembleJob stop(String name) throws Lab.LabException {
        final EnsembleJob job;
        synchronized (this) {
            if (!saved.containsKey(name)) {
                throw notSaved(name);
            }
            job = jobs.get(name);
        }
        if (job != null) {
            job.close();
        }
        return job;
    }

    /**
     * Stops the ensemble {@code name} and forgets it.
     *
     * @return whether there was one
     */
    public boolean remove(String name) throws IOException {
        try {
            stop(name);
        } catch (Lab.LabException e) {
            return false;
        }
        synchronized (this) {
            jobs.remove(name);
            saved.remove(name);
            file.save(saved.values());
        }
        return true;
    }

    private void refuseIfLive(String name, String what) throws Conflict {
        final EnsembleJob job = jobs.get(name);
        if (job != null && (job.state().equals("starting") || job.state().equals("running"))) {
            throw new Conflict("the ensemble " + name + " is " + job.state() + ": stop it first to " + what);
        }
    }

    private static Lab.LabException notSaved(String name) {
        return new Lab.LabException("name", "no ensemble named '" + PeerProbe.printable(name, 40)
                + "': GET /api/lab/ensembles lists them");
    }

    /**
     * Lets go of every ensemble as this agent stops: closes the ssh sessions, and leaves the hub and
     * every member streaming. An ensemble whose hub runs in this agent is stopped instead, members
     * and all: its hub goes with the agent.
     */
    @Override
    public void close() {
        final List<EnsembleJob> all;
        synchronized (this) {
            all = new ArrayList<>(jobs.values());
        }
        for (EnsembleJob job : all) {
            if (job.ensemble().hubHere()) {
                job.close();
            }
        }
        synchronized (this) {
            closed = true;
        }
        all.stream().filter(j -> !j.ensemble().hubHere()).forEach(EnsembleJob::detach);
    }
}
