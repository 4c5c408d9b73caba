package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jamwire.testing.Pcap;
import org.jamwire.testing.Pcap.Udp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests against datagrams sent by a real jacktrip 1.7.0 (see
 * src/test/resources/captures/README.md). The client fed its send ports a ramp: channel 1 sample i
 * = (i + 1) / 1024, channel 2 sample i = -(i + 1) / 2048, 64 frames at 48 kHz, every period.
 */
class JackTripCaptureTest {

    private static final int SERVER_PORT = 4464;
    private static final int CLIENT_PORT = 4474;
    private static final int HUB_WORKER_PORT = 61002;
    private static final int FRAMES = 64;
    private static final int KEPT_PACKETS = 60;

    private static List<Udp> udp(String file) {
        return Pcap.readResource("/captures/" + file);
    }

    private static List<Udp> audioFromClient(String file) {
        return udp(file).stream()
                .filter(d -> d.srcPort() == CLIENT_PORT && d.dstPort() == SERVER_PORT)
                .filter(d -> !StopPacket.isControl(d.length()))
                .collect(Collectors.toList());
    }

    private static float ramp(int channel, int i) {
        return channel == 0 ? (i + 1) / 1024f : -(i + 1) / 2048f;
    }

    private static float[][] ramp() {
        final float[][] x = new float[2][FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            x[0][i] = ramp(0, i);
            x[1][i] = ramp(1, i);
        }
        return x;
    }

    private static float[] decode(ByteBuffer b, int packetOffset, int bits, int channel) {
        final float[] out = new float[FRAMES];
        SampleCodec.decodeChannel(b, packetOffset + PacketHeader.LENGTH, FRAMES, bits, channel, out, 0);
        return out;
    }

    private static byte[] payload(Udp d, int packetOffset, int length) {
        final int from = packetOffset + PacketHeader.LENGTH;
        return Arrays.copyOfRange(d.payload(), from, from + length);
    }

    private static byte[] encodedRamp(int bits, float[][] channels) {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.payloadLength(FRAMES, 2, bits));
        SampleCodec.encode(channels, 2, FRAMES, bits, b, 0);
        return b.array();
    }

    /** jacktrip 1.7.0's 32-bit encoder: the low four bytes of the sample widened to a double. */
    private static int jacktrip32BitWord(float x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bits_b8.pcap", "bits_b16.pcap", "bits_b24.pcap", "bits_c24.pcap",
        "bits_b32.pcap", "bits_r3.pcap", "bits_ch12.pcap", "bits_ch21.pcap", "p2p.pcap", "hub.pcap"})
    void every_captured_datagram_is_audio_or_an_exit_packet(String file) {
        final List<Udp> all = udp(file);
        assertFalse(all.isEmpty());
        for (Udp d : all) {
            final int expected = d.length() == StopPacket.LENGTH ? DatagramCheck.STOP : DatagramCheck.OK;
            assertEquals(expected, DatagramCheck.check(d.buffer(), 0, d.length()),
                    () -> DatagramCheck.explain(d.buffer(), 0, d.length()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bits_b8.pcap", "bits_b16.pcap", "bits_b24.pcap", "bits_c24.pcap",
        "bits_b32.pcap", "bits_r3.pcap", "bits_ch12.pcap", "bits_ch21.pcap", "p2p.pcap"})
    void each_peer_sends_two_exit_packets_when_stopping(String file) {
        final List<Udp> all = udp(file);
        for (int[] ports : new int[][] {{CLIENT_PORT, SERVER_PORT}, {SERVER_PORT, CLIENT_PORT}}) {
            final long stops = all.stream()
                    .filter(d -> d.srcPort() == ports[0] && d.dstPort() == ports[1])
                    .filter(d -> StopPacket.isStop(d.buffer(), 0, d.length()))
                    .count();
            assertEquals(StopPacket.REPEATS, stops, ports[0] + " -> " + ports[1]);
        }
    }

    @Test
    void hub_client_and_worker_exchange_exit_packets_on_the_worker_port() {
        final List<Udp> all = udp("hub.pcap");
        assertEquals(4, all.size());
        for (Udp d : all) {
            assertTrue(StopPacket.isStop(d.buffer(), 0, d.length()));
            assertTrue(d.srcPort() == HUB_WORKER_PORT || d.dstPort() == HUB_WORKER_PORT);
        }
    }

    @ParameterizedTest
    @CsvSource({"bits_b8.pcap, 8", "bits_b16.pcap, 16", "bits_b24.pcap, 24", "bits_c24.pcap, 24"})
    void client_headers_announce_64_stereo_frames_at_48_khz(String file, int bits) {
        final List<Udp> audio = audioFromClient(file);
        assertEquals(KEPT_PACKETS, audio.size());
        for (Udp d : audio) {
            final ByteBuffer b = d.buffer();
            assertEquals(FRAMES, PacketHeader.bufferSize(b, 0));
            assertEquals(SampleRateCode.SR48, PacketHeader.sampleRateCode(b, 0));
            assertEquals(bits, PacketHeader.bitResolution(b, 0));
            assertEquals(2, PacketHeader.incomingChannels(b, 0));
            assertEquals(0, PacketHeader.outgoingChannelsByte(b, 0));
            assertEquals(PacketHeader.packetLength(FRAMES, 2, bits), d.length());
            assertEquals(1, DatagramCheck.copies(b, 0, d.length()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bits_b8.pcap", "bits_b16.pcap", "bits_b24.pcap", "bits_c24.pcap",
        "bits_ch21.pcap", "bits_r3.pcap"})
    void sequence_numbers_rise_by_one_per_datagram(String file) {
        final List<Udp> audio = audioFromClient(file);
        for (int i = 1; i < audio.size(); i++) {
            assertEquals((PacketHeader.sequence(audio.get(i - 1).buffer(), 0) + 1) & 0xFFFF,
                    PacketHeader.sequence(audio.get(i).buffer(), 0));
        }
    }

    @ParameterizedTest
    @CsvSource({"bits_b8.pcap, 8, 0.0078125", "bits_b16.pcap, 16, 3.0517578125e-5",
        "bits_b24.pcap, 24, 1.1920928955078125e-7"})
    void decodes_the_captured_ramp_within_one_step(String file, int bits, double step) {
        for (Udp d : audioFromClient(file)) {
            for (int c = 0; c < 2; c++) {
                final float[] x = decode(d.buffer(), 0, bits, c);
                for (int i = 0; i < FRAMES; i++) {
                    assertEquals(ramp(c, i), x[i], step, "channel " + c + " frame " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"bits_b8.pcap, 8", "bits_b16.pcap, 16", "bits_b24.pcap, 24"})
    void encodes_the_ramp_to_the_captured_payload_bytes(String file, int bits) {
        final byte[] ours = encodedRamp(bits, ramp());
        for (Udp d : audioFromClient(file)) {
            assertArrayEquals(ours, payload(d, 0, ours.length));
        }
    }

    @Test
    void captured_16_bit_ramp_starts_with_20_00_and_f0_ff() {
        final byte[] p = payload(audioFromClient("bits_b16.pcap").get(0), 0, 2 * FRAMES * 2);
        assertArrayEquals(new byte[] {0x20, 0x00}, Arrays.copyOfRange(p, 0, 2));
        assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0xFF}, Arrays.copyOfRange(p, 128, 130));
    }

    @Test
    void encodes_the_24_bit_constants_to_the_captured_bytes() {
        final float[][] constant = new float[2][FRAMES];
        Arrays.fill(constant[0], 0.3f);
        Arrays.fill(constant[1], -0.3f);
        final byte[] ours = encodedRamp(24, constant);
        assertArrayEquals(new byte[] {0x66, 0x26, 0x66}, Arrays.copyOfRange(ours, 0, 3));
        assertArrayEquals(new byte[] {(byte) 0x99, (byte) 0xD9, (byte) 0x99},
                Arrays.copyOfRange(ours, FRAMES * 3, FRAMES * 3 + 3));
        final List<Udp> audio = audioFromClient("bits_c24.pcap");
        // jacktrip's feeder connected channel 2 two periods after channel 1.
        final byte[] silentSecondChannel = ours.clone();
        Arrays.fill(silentSecondChannel, FRAMES * 3, ours.length, (byte) 0);
        for (int i = 0; i < audio.size(); i++) {
            assertArrayEquals(i < 2 ? silentSecondChannel : ours, payload(audio.get(i), 0, ours.length),
                    "packet " + i);
        }
    }

    @Test
    void decodes_the_captured_24_bit_constants_within_two_to_the_minus_23() {
        final Udp last = audioFromClient("bits_c24.pcap").get(KEPT_PACKETS - 1);
        for (int c = 0; c < 2; c++) {
            for (float x : decode(last.buffer(), 0, 24, c)) {
                assertEquals(c == 0 ? 0.3f : -0.3f, x, 0x1p-23);
            }
        }
    }

    @Test
    void asymmetric_client_announces_one_receive_and_two_send_channels() {
        for (Udp d : audioFromClient("bits_ch21.pcap")) {
            final ByteBuffer b = d.buffer();
            assertEquals(1, PacketHeader.incomingChannels(b, 0));
            assertEquals(2, PacketHeader.outgoingChannelsByte(b, 0));
            assertEquals(2, PacketHeader.payloadChannels(b, 0));
            assertEquals(PacketHeader.packetLength(FRAMES, 2, 16), d.length());
        }
    }

    @Test
    void our_header_for_one_receive_and_two_send_channels_matches_the_capture() {
        final Udp captured = audioFromClient("bits_ch21.pcap").get(0);
        final ByteBuffer ours = ByteBuffer.allocate(PacketHeader.LENGTH);
        final ByteBuffer b = captured.buffer();
        PacketHeader.write(ours, 0, PacketHeader.timestamp(b, 0), PacketHeader.sequence(b, 0), FRAMES,
                SampleRateCode.codeFor(48000), 16, 1, 2);
        assertArrayEquals(Arrays.copyOf(captured.payload(), PacketHeader.LENGTH), ours.array());
    }

    @Test
    void asymmetric_client_sends_the_ramp_once_both_ports_are_fed() {
        final byte[] ours = encodedRamp(16, ramp());
        final byte[] secondSilent = encodedRamp(16, new float[][] {ramp()[0]});
        final List<Udp> audio = audioFromClient("bits_ch21.pcap");
        for (int i = 0; i < audio.size(); i++) {
            // The feeder reached channel 2 five periods late; those packets carry silence there.
            assertArrayEquals(i < 5 ? secondSilent : ours, payload(audio.get(i), 0, ours.length),
                    "packet " + i);
        }
    }

    @Test
    void one_send_two_receive_capture_holds_no_audio_only_exit_packets() {
        // The trimmed capture kept no signal-carrying packet, so bytes 14/15 = 2/1 are covered by
        // PacketHeaderTest alone.
        for (Udp d : udp("bits_ch12.pcap")) {
            assertTrue(StopPacket.isStop(d.buffer(), 0, d.length()));
        }
    }

    @Test
    void redundant_datagrams_hold_three_packets_newest_first() {
        final List<Udp> audio = audioFromClient("bits_r3.pcap");
        assertEquals(KEPT_PACKETS, audio.size());
        final int stride = PacketHeader.packetLength(FRAMES, 2, 16);
        for (Udp d : audio) {
            final ByteBuffer b = d.buffer();
            assertEquals(3 * stride, d.length());
            assertEquals(stride, Redundancy.stride(b, 0));
            assertEquals(3, DatagramCheck.copies(b, 0, d.length()));
            final int newest = PacketHeader.sequence(b, 0);
            for (int k = 1; k < 3; k++) {
                final int at = Redundancy.packetOffset(k, stride);
                if (newest - k < 0) {
                    // Before the sender has sent three periods the older slots are all zero.
                    assertArrayEquals(
                            new byte[stride], Arrays.copyOfRange(d.payload(), at, at + stride));
                } else {
                    assertEquals(newest - k, PacketHeader.sequence(b, at));
                    assertTrue(PacketHeader.timestamp(b, at) <= PacketHeader.timestamp(b, at - stride));
                }
            }
        }
    }

    @Test
    void redundant_datagrams_repeat_each_packet_one_slot_older_in_the_next() {
        final List<Udp> audio = audioFromClient("bits_r3.pcap");
        final int stride = PacketHeader.packetLength(FRAMES, 2, 16);
        for (int i = 1; i < audio.size(); i++) {
            final byte[] previous = audio.get(i - 1).payload();
            final byte[] current = audio.get(i).payload();
            assertArrayEquals(Arrays.copyOfRange(previous, 0, 2 * stride),
                    Arrays.copyOfRange(current, stride, 3 * stride), "datagram " + i);
        }
    }

    @Test
    void redundant_capture_starts_at_sequence_1_with_silent_start_up_packets() {
        final List<Udp> audio = audioFromClient("bits_r3.pcap");
        assertEquals(1, PacketHeader.sequence(audio.get(0).buffer(), 0));
        final byte[] silence = new byte[PacketHeader.payloadLength(FRAMES, 2, 16)];
        for (Udp d : audio) {
            assertArrayEquals(silence, payload(d, 0, silence.length));
        }
    }

    @Test
    void jacktrips_32_bit_encoding_zeroes_the_ramp_so_the_capture_kept_no_audio() {
        // The ramp values have short mantissas: the low half of each as a double is 0, so every
        // 32-bit packet jacktrip sent was all zero and the capture trimmed it as silence.
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < FRAMES; i++) {
                assertEquals(0, jacktrip32BitWord(ramp(c, i)));
            }
        }
        assertTrue(audioFromClient("bits_b32.pcap").isEmpty());
    }

    @Test
    void jacktrips_32_bit_encoding_of_0_3_decodes_as_2() {
        final int word = jacktrip32BitWord(0.3f);
        assertEquals(0x4000_0000, word); // bytes 00 00 00 40 on the wire
        assertEquals(word, jacktrip32BitWord(-0.3f));
        final ByteBuffer b = ByteBuffer.allocate(4);
        b.put(3, (byte) 0x40);
        final float[] out = new float[1];
        SampleCodec.decodeChannel(b, 0, 1, 32, 0, out, 0);
        assertEquals(2f, out[0]);
    }
}
