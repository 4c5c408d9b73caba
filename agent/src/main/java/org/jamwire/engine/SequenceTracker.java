package org.jamwire.engine;

/**
 * Decides which packets of each received datagram are new, following jacktrip's rules: sequence
 * numbers are 16-bit and wrap; a datagram whose newest packet is not newer than the last delivered
 * one is a duplicate or late and is dropped; a jump of more than {@link #MAX_GAP} packets, or
 * backwards, is dropped until {@link #RESYNC_AFTER} such datagrams in a row show the peer really
 * restarted its sequence. Redundant copies (newest first) fill gaps. Runs on the packet loop;
 * allocation-free.
 */
public final class SequenceTracker {

    /** The largest gap treated as loss rather than a restart, as jacktrip's. */
    public static final int MAX_GAP = 1000;
    /** Consecutive rejected datagrams after which the tracker follows the new sequence. */
    public static final int RESYNC_AFTER = 6;

    /** {@link #accept} result: drop the datagram, it repeats the last packet. */
    public static final int DUPLICATE = -1;
    /** {@link #accept} result: drop the datagram, it is older than the last packet. */
    public static final int LATE = -2;

    private int last = -1;
    private int rejectedInARow;
    private int lost;

    /**
     * Examines a datagram's sequence numbers.
     *
     * @param seqs sequence number of each packet in the datagram, newest first
     * @param copies number of valid entries in {@code seqs}
     * @return the index of the oldest packet to deliver (deliver from it down to 0, oldest first),
     *     or {@link #DUPLICATE} or {@link #LATE}; after a non-negative result {@link #lost()}
     *     tells how many packets before the delivered ones are missing for good
     */
    public int accept(int[] seqs, int copies) {
        final int newest = seqs[0];
        lost = 0;
        if (last < 0) {
            last = newest;
            rejectedInARow = 0;
            return 0;
        }
        final int ahead = (short) (newest - last);
        if (ahead <= 0 || ahead > MAX_GAP) {
            if (++rejectedInARow < RESYNC_AFTER) {
                return ahead == 0 ? DUPLICATE : LATE;
            }
            last = newest;
            rejectedInARow = 0;
            return 0;
        }
        rejectedInARow = 0;
        int oldest = 0;
        for (int i = 1; i < copies && i < ahead; i++) {
            if ((short) (seqs[i] - last) > 0 && (short) (seqs[i - 1] - seqs[i]) == 1) {
                oldest = i;
            } else {
                break;
            }
        }
        lost = ahead - 1 - oldest;
        last = newest;
        return oldest;
    }

    /** Packets missing for good before the ones the last {@link #accept} delivered. */
    public int lost() {
        return lost;
    }

    /** Forgets the sequence, e.g. when a new peer is adopted. */
    public void reset() {
        last = -1;
        rejectedInARow = 0;
        lost = 0;
    }
}
