package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ends of a link side by side before anything starts: the JACK rate and period of each
 * machine and the wire settings each end would use. A difference that would break the link or its
 * timing refuses the start, and says exactly how to fix it. Pure; called on control threads.
 */
public final class Preflight {

    /**
     * One end's settings.
     *
     * @param name how to call this end in messages, e.g. "this machine" or "studio-b"
     * @param sampleRate its JACK server's rate, 0 when JACK does not run
     * @param bufferSize its JACK server's period in frames
     * @param bits bits per sample on the wire
     * @param sendChannels channels it sends
     * @param receiveChannels channels it plays
     * @param queue its receive queue, e.g. "4" or "auto"
     * @param pipeWire whether PipeWire's graph serves its JACK: its rate and quantum are then set in
     *     the graph's settings, not by restarting a server
     */
    public record End(String name, int sampleRate, int bufferSize, int bits, int sendChannels, int receiveChannels,
            String queue, boolean pipeWire) {

        /** An end on jackd. */
        public End(String name, int sampleRate, int bufferSize, int bits, int sendChannels, int receiveChannels,
                String queue) {
            this(name, sampleRate, bufferSize, bits, sendChannels, receiveChannels, queue, false);
        }
    }

    /**
     * One setting of both ends.
     *
     * @param setting what it is
     * @param local this end's value
     * @param peer the peer's value
     * @param blocking whether the difference refuses the start
     * @param fix what to do, or null when the values agree or need not
     */
    public record Row(String setting, String local, String peer, boolean blocking, String fix) {
    }

    private final List<Row> rows;

    private Preflight(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Compares the two ends. */
    public static Preflight compare(End local, End peer) {
        final List<Row> rows = new ArrayList<>();
        rows.add(jackRunning(local, true));
        rows.add(jackRunning(peer, false));
        rows.removeIf(r -> r == null);
        final boolean bothRun = local.sampleRate() > 0 && peer.sampleRate() > 0;
        final boolean rateDiffers = bothRun && local.sampleRate() != peer.sampleRate();
        rows.add(differing("sample rate", hz(local.sampleRate()), hz(peer.sampleRate()), rateDiffers,
                (peer.pipeWire() ? "set " + peer.name() + "'s PipeWire graph to " + local.sampleRate() + " Hz"
                        + " (pw-metadata -n settings 0 clock.force-rate " + local.sampleRate()
                        : "restart " + peer.name() + "'s JACK at " + local.sampleRate() + " Hz (jackd -r "
                        + local.sampleRate()) + "; 'make them match' does it), or " + local.name() + "'s at "
                        + peer.sampleRate() + " Hz: both ends must run at the same rate"));
        final boolean periodDiffers = bothRun && local.bufferSize() != peer.bufferSize();
        rows.add(differing("buffer size", frames(local.bufferSize()), frames(peer.bufferSize()), periodDiffers,
                (peer.pipeWire() ? "set " + peer.name() + "'s PipeWire graph to a quantum of " + local.bufferSize()
                        + " frames (pw-metadata -n settings 0 clock.force-quantum " + local.bufferSize()
                        : "restart " + peer.name() + "'s JACK with " + local.bufferSize() + "-frame periods (jackd -p "
                        + local.bufferSize()) + "; 'make them match' does it), or " + local.name() + "'s with "
                        + peer.bufferSize() + ": with different periods each packet is played at another pace"));
        rows.add(differing("bit depth", local.bits() + " bits", peer.bits() + " bits", local.bits() != peer.bits(),
                "use the same --bitres at both ends (e.g. " + local.bits() + ")"));
        rows.add(channels("channels " + local.name() + " sends, " + peer.name() + " plays", local.sendChannels(),
                peer.receiveChannels(), local, peer));
        rows.add(channels("channels " + peer.name() + " sends, " + local.name() + " plays", peer.sendChannels(),
                local.receiveChannels(), peer, local));
        rows.add(new Row("receive queue", local.queue(), peer.queue(), false, null));
        return new Preflight(rows);
    }

    private static Row jackRunning(End end, boolean local) {
        if (end.sampleRate() > 0) {
            return null;
        }
        return new Row("JACK", local ? "not running" : "running", local ? "" : "not running", true, "start JACK on "
                + end.name() + " as the user JamWire runs as there (a JACK server is seen only by its user): its"
                + " JACK service (systemctl start jamwire-jackd), or e.g. jackd -d alsa -r 48000 -p 128");
    }

    private static Row channels(String setting, int sent, int played, End sender, End player) {
        return differing(setting, String.valueOf(sent), String.valueOf(played), sent != played, "make "
                + sender.name() + " send as many channels as " + player.name() + " plays: --sendchannels " + played
                + " on " + sender.name() + ", or --receivechannels " + sent + " on " + player.name());
    }

    /** A setting whose difference refuses the start; the fix is given only when they differ. */
    private static Row differing(String setting, String local, String peer, boolean differ, String fix) {
        return new Row(setting, local, peer, differ, differ ? fix : null);
    }

    private static String hz(int rate) {
        return rate > 0 ? rate + " Hz" : "JACK not running";
    }

    private static String frames(int n) {
        return n > 0 ? n + " frames" : "JACK not running";
    }

    /** Every setting, in order. */
    public List<Row> rows() {
        return rows;
    }

    /** Whether the start may go ahead. */
    public boolean ok() {
        return rows.stream().noneMatch(Row::blocking);
    }

    /** The fixes of the differences that refuse the start, in order. */
    public List<String> fixes() {
        return rows.stream().filter(Row::blocking).map(Row::fix).toList();
    }
}
