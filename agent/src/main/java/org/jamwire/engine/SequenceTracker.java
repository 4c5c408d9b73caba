package org.jamwire.engine;

/**
 * Decides which packets of each received datagram are new. Sequence numbers are 16-bit and wrap.
 * The tracker remembers which of the last {@link #WINDOW} sequence numbers have arrived, so that:
 * <ul>
 *   <li>a datagram whose newest packet is newer than any before is delivered, with the redundant
 *       copies (newest first, as jacktrip lays them out) that fill the gap before it; the rest of
 *       the gap is lost for now;</li>
 *   <li>a datagram that arrives after a newer one (reordered) delivers each of its packets that
 *       never arrived, which are then no longer lost;</li>
 *   <li>a datagram bringing nothing that has not arrived already is a duplicate;</li>
 *   <li>a datagram older than the window, or than the first packet tracked, is stale.</li>
 * </ul>
 * A jump of more than {@link #MAX_GAP} packets, or a stale or duplicate datagram, is dropped
 * until {@link #RESYNC_AFTER} such datagrams in a row show the peer really restarted its sequence
 * (as jacktrip's rule). Runs on the packet loop; allocation-free.
 */
public final class SequenceTracker {

    /** The largest gap treated as loss rather than a restart, as jacktrip's. */
    public static final int MAX_GAP = 1000;
    /** Consecutive rejected datagrams after which the tracker follows the new sequence. */
    public static final int RESYNC_AFTER = 6;
    /** How many sequence numbers back a reordered packet can still fill its gap. */
    public static final int WINDOW = 64;

    /** {@link #accept} verdict: the datagram's newest packet is the newest yet. */
    public static final int NEWER = 0;
    /** {@link #accept} verdict: the first datagram, or the first after a restart of the sequence. */
    public static final int RESTART = 1;
    /** {@link #accept} verdict: an older datagram that fills gaps. */
    public static final int REORDERED = 2;
    /** {@link #accept} verdict: nothing in the datagram is new; drop it. */
    public static final int DUPLICATE = 3;
    /** {@link #accept} verdict: older than the window or than the first tracked packet; drop it. */
    public static final int STALE = 4;

    private final int[] deliver = new int[WINDOW];
    private int deliverCount;
    private int last = -1;
    /** Bit k set: sequence number {@code last - k} has arrived. */
    private long arrived;
    /** Sequence numbers from {@code last} back that the tracker has followed, at most WINDOW. */
    private int span;
    private int rejectedInARow;
    private int lost;
    private int revived;

    /**
     * Examines a datagram's sequence numbers.
     *
     * @param seqs sequence number of each packet in the datagram, newest first
     * @param copies number of valid entries in {@code seqs}
     * @return the verdict; after {@link #NEWER}, {@link #RESTART} or {@link #REORDERED}, deliver
     *     {@link #deliveries()} packets, the k-th being copy {@link #delivery(int) delivery(k)},
     *     oldest first
     */
    public int accept(int[] seqs, int copies) {
        final int newest = seqs[0];
        lost = 0;
        revived = 0;
        deliverCount = 0;
        if (last < 0) {
            return restart(newest);
        }
        final int ahead = (short) (newest - last);
        if (ahead > 0 && ahead <= MAX_GAP) {
            rejectedInARow = 0;
            return newer(seqs, copies, newest, ahead);
        }
        final int verdict = ahead <= 0 && -ahead < span ? older(seqs, copies) : STALE;
        if (verdict == REORDERED) {
            rejectedInARow = 0;
            return REORDERED;
        }
        if (++rejectedInARow < RESYNC_AFTER) {
            return verdict;
        }
        return restart(newest);
    }

    private int restart(int newest) {
        last = newest;
        arrived = 1L;
        span = 1;
        rejectedInARow = 0;
        deliver[0] = 0;
        deliverCount = 1;
        return RESTART;
    }

    private int newer(int[] seqs, int copies, int newest, int ahead) {
        // Redundant copies fill the gap before the newest packet from its near end.
        int oldest = 0;
        for (int i = 1; i < copies && i < ahead && i < WINDOW; i++) {
            if ((short) (seqs[i - 1] - seqs[i]) == 1) {
                oldest = i;
            } else {
                break;
            }
        }
        arrived = ahead >= WINDOW ? 0L : arrived << ahead;
        for (int i = 0; i <= oldest; i++) {
            arrived |= 1L << i;
        }
        span = Math.min(WINDOW, span + ahead);
        lost = ahead - 1 - oldest;
        revived = oldest;
        last = newest;
        for (int i = oldest; i >= 0; i--) {
            deliver[deliverCount++] = i;
        }
        return NEWER;
    }

    private int older(int[] seqs, int copies) {
        // Oldest first, so the queue receives them in sequence order.
        for (int i = Math.min(copies, WINDOW) - 1; i >= 0; i--) {
            final int back = (short) (last - seqs[i]);
            if (back > 0 && back < span && (arrived & (1L << back)) == 0) {
                arrived |= 1L << back;
                deliver[deliverCount++] = i;
            }
        }
        return deliverCount > 0 ? REORDERED : DUPLICATE;
    }

    /** Packets to deliver after the last {@link #accept}. */
    public int deliveries() {
        return deliverCount;
    }

    /** The copy index (0 = newest in the datagram) of the k-th packet to deliver, oldest first. */
    public int delivery(int k) {
        return deliver[k];
    }

    /**
     * Packets found missing by the last {@link #accept}: the gap before a newer datagram that its
     * copies did not fill. A later reordered datagram may still bring them.
     */
    public int lost() {
        return lost;
    }

    /** Packets of the gap that the last {@link #accept} filled from redundant copies. */
    public int revived() {
        return revived;
    }

    /** Forgets the sequence, e.g. when a new peer is adopted. */
    public void reset() {
        last = -1;
        arrived = 0L;
        span = 0;
        rejectedInARow = 0;
        lost = 0;
        revived = 0;
        deliverCount = 0;
    }
}
