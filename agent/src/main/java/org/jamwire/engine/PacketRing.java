package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-producer single-consumer queue of datagram-sized byte slots, preallocated in one direct
 * buffer. The producer {@link #claim() claims} a slot, fills it and {@link #commit(int, int)
 * commits} it with a length; the consumer {@link #peek() peeks}, reads and {@link #release()
 * releases}. Nothing blocks or allocates; a full ring refuses the claim and the caller counts it.
 * Used between the JACK thread and the packet loop, in both directions.
 */
public final class PacketRing {

    /** Returned by {@link #claim()} and {@link #peek()} when there is no slot. */
    public static final int NONE = -1;

    private final int mask;
    private final int slotSize;
    private final ByteBuffer[] slots;
    private final int[] lengths;
    private final int[] tags;
    private final AtomicLong head = new AtomicLong(); // next slot to read, written by consumer
    private final AtomicLong tail = new AtomicLong(); // next slot to write, written by producer
    private long cachedHead; // producer's view of head
    private long cachedTail; // consumer's view of tail

    /**
     * Creates a ring.
     *
     * @param capacity number of slots, rounded up to a power of two
     * @param slotSize bytes per slot
     */
    public PacketRing(int capacity, int slotSize) {
        final int cap = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.mask = cap - 1;
        this.slotSize = slotSize;
        this.slots = new ByteBuffer[cap];
        this.lengths = new int[cap];
        this.tags = new int[cap];
        final ByteBuffer all = ByteBuffer.allocateDirect(cap * slotSize);
        for (int i = 0; i < cap; i++) {
            all.limit((i + 1) * slotSize).position(i * slotSize);
            slots[i] = all.slice();
        }
    }

    /** Number of slots. */
    public int capacity() {
        return mask + 1;
    }

    /** Bytes per slot. */
    public int slotSize() {
        return slotSize;
    }

    /** Producer: a free slot's index, or {@link #NONE} when the ring is full. */
    public int claim() {
        final long t = tail.get();
        if (t - cachedHead > mask) {
            cachedHead = head.get();
            if (t - cachedHead > mask) {
                return NONE;
            }
        }
        return (int) (t & mask);
    }

    /** Producer: publishes the claimed slot with {@code length} valid bytes. */
    public void commit(int slot, int length) {
        commit(slot, length, 0);
    }

    /** Producer: publishes the claimed slot with {@code length} valid bytes and a caller-defined tag. */
    public void commit(int slot, int length, int tag) {
        lengths[slot] = length;
        tags[slot] = tag;
        tail.lazySet(tail.get() + 1);
    }

    /** Consumer: the oldest published slot's index, or {@link #NONE} when empty. */
    public int peek() {
        final long h = head.get();
        if (h >= cachedTail) {
            cachedTail = tail.get();
            if (h >= cachedTail) {
                return NONE;
            }
        }
        return (int) (h & mask);
    }

    /** Consumer: frees the slot returned by the last {@link #peek()}. */
    public void release() {
        head.lazySet(head.get() + 1);
    }

    /** The slot's buffer: position 0, capacity {@link #slotSize()}. Its position and limit are the caller's. */
    public ByteBuffer buffer(int slot) {
        return slots[slot];
    }

    /** Valid bytes in a published slot. */
    public int length(int slot) {
        return lengths[slot];
    }

    /** The tag a published slot was committed with. */
    public int tag(int slot) {
        return tags[slot];
    }

    /** Slots published and not yet released; approximate when read by a third thread. */
    public int size() {
        return (int) (tail.get() - head.get());
    }
}
