package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Proves that the methods the JACK callback and the packet loop call allocate nothing, by reading
 * this thread's allocation counter around many thousands of calls.
 */
class ZeroAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 50_000;
    private static final int FRAMES = 128;
    private static final int CHANNELS = 2;
    private static final int COPIES = 3;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Keeps results alive so the loops cannot be optimised away. */
    private long sink;

    private interface Body {
        void run(int iteration);
    }

    private long bytesAllocatedBy(Body body) {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported());
        assumeTrue(THREADS.isThreadAllocatedMemoryEnabled());
        for (int i = 0; i < WARM_UP; i++) {
            body.run(i);
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            body.run(i);
        }
        final long after = THREADS.getCurrentThreadAllocatedBytes();
        final long before2 = THREADS.getCurrentThreadAllocatedBytes();
        final long after2 = THREADS.getCurrentThreadAllocatedBytes();
        // Subtract whatever reading the counter itself costs.
        return (after - before) - (after2 - before2);
    }

    private static float[][] signal() {
        final float[][] x = new float[CHANNELS][FRAMES];
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < FRAMES; i++) {
                x[c][i] = (float) Math.sin(0.01 * i + c);
            }
        }
        return x;
    }

    private void assertSendPathAllocatesNothing(ByteBuffer datagram) {
        final float[][] in = signal();
        final int[] resolutions = {8, 16, 24, 32};
        assertEquals(0, bytesAllocatedBy(i -> {
            final int bits = resolutions[i & 3];
            final int stride = PacketHeader.packetLength(FRAMES, CHANNELS, bits);
            Redundancy.shiftOlder(datagram, 0, stride, COPIES);
            PacketHeader.write(datagram, 0, i * 1333L, i, FRAMES, SampleRateCode.codeFor(48000), bits,
                    CHANNELS, CHANNELS);
            SampleCodec.encode(in, CHANNELS, FRAMES, bits, datagram, PacketHeader.LENGTH);
            SampleCodec.encodeChannel(in[1], 0, FRAMES, bits, 1, datagram, PacketHeader.LENGTH);
            if ((i & 1023) == 0) {
                StopPacket.write(datagram, 0);
            }
        }));
    }

    private void assertReceivePathAllocatesNothing(ByteBuffer datagram) {
        final float[] out = new float[FRAMES];
        final int[] resolutions = {8, 16, 24, 32};
        final int[] lengths = new int[4];
        for (int r = 0; r < 4; r++) {
            lengths[r] = COPIES * PacketHeader.packetLength(FRAMES, CHANNELS, resolutions[r]);
        }
        assertEquals(0, bytesAllocatedBy(i -> {
            final int bits = resolutions[i & 3];
            PacketHeader.write(datagram, 0, i, i, FRAMES, 3, bits, CHANNELS, CHANNELS);
            final int len = lengths[i & 3] - (i & 4); // every other round a length mismatch
            long acc = DatagramCheck.check(datagram, 0, len) + DatagramCheck.copies(datagram, 0, len);
            acc += StopPacket.isStop(datagram, 0, StopPacket.LENGTH) ? 1 : 0;
            acc += StopPacket.isControl(len) ? 1 : 0;
            acc += PacketHeader.timestamp(datagram, 0) + PacketHeader.sequence(datagram, 0);
            acc += PacketHeader.bufferSize(datagram, 0) + PacketHeader.sampleRateCode(datagram, 0);
            acc += PacketHeader.bitResolution(datagram, 0) + PacketHeader.incomingChannels(datagram, 0);
            acc += PacketHeader.outgoingChannelsByte(datagram, 0);
            acc += PacketHeader.payloadChannels(datagram, 0);
            acc += SampleRateCode.hzFor(i & 7);
            acc += Redundancy.packetOffset(i & 3, Redundancy.stride(datagram, 0));
            for (int c = 0; c < CHANNELS; c++) {
                SampleCodec.decodeChannel(datagram, PacketHeader.LENGTH, FRAMES, bits, c, out, 0);
            }
            sink += acc + Float.floatToRawIntBits(out[i % FRAMES]);
        }));
    }

    private static ByteBuffer datagram(boolean direct) {
        final int size = COPIES * PacketHeader.packetLength(FRAMES, CHANNELS, 32);
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    @Test
    void send_path_allocates_nothing_on_a_heap_buffer() {
        assertSendPathAllocatesNothing(datagram(false));
    }

    @Test
    void send_path_allocates_nothing_on_a_direct_buffer() {
        assertSendPathAllocatesNothing(datagram(true));
    }

    @Test
    void receive_path_allocates_nothing_on_a_heap_buffer() {
        assertReceivePathAllocatesNothing(datagram(false));
    }

    @Test
    void receive_path_allocates_nothing_on_a_direct_buffer() {
        assertReceivePathAllocatesNothing(datagram(true));
    }

    @Test
    void metering_a_period_allocates_nothing() {
        final org.jamwire.engine.LevelMeter meter = new org.jamwire.engine.LevelMeter(CHANNELS, 48000);
        final float[][] audio = signal();
        assertEquals(0, bytesAllocatedBy(i -> {
            meter.measure(audio, FRAMES);
            sink += Float.floatToRawIntBits(meter.rms(i % CHANNELS));
        }));
    }
}
