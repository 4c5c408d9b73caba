package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleRateCodeTest {

    @Test
    void maps_standard_rates_to_jacktrips_codes() {
        assertEquals(0, SampleRateCode.codeFor(22050));
        assertEquals(1, SampleRateCode.codeFor(32000));
        assertEquals(2, SampleRateCode.codeFor(44100));
        assertEquals(3, SampleRateCode.codeFor(48000));
        assertEquals(4, SampleRateCode.codeFor(88200));
        assertEquals(5, SampleRateCode.codeFor(96000));
    }

    @Test
    void sends_192_khz_as_other_like_jacktrip() {
        assertEquals(7, SampleRateCode.codeFor(192000));
    }

    @Test
    void sends_unlisted_rates_as_other() {
        assertEquals(7, SampleRateCode.codeFor(16000));
        assertEquals(7, SampleRateCode.codeFor(0));
        assertEquals(7, SampleRateCode.codeFor(Integer.MIN_VALUE));
        assertEquals(7, SampleRateCode.codeFor(Integer.MAX_VALUE));
    }

    @Test
    void accepts_rates_within_99_hz_like_jacktrip() {
        assertEquals(3, SampleRateCode.codeFor(48099));
        assertEquals(3, SampleRateCode.codeFor(47901));
        assertEquals(7, SampleRateCode.codeFor(48100));
        assertEquals(7, SampleRateCode.codeFor(47900));
    }

    @Test
    void maps_codes_back_to_rates() {
        assertEquals(22050, SampleRateCode.hzFor(0));
        assertEquals(44100, SampleRateCode.hzFor(2));
        assertEquals(96000, SampleRateCode.hzFor(5));
    }

    @Test
    void has_no_rate_for_other_or_unknown_codes() {
        assertEquals(-1, SampleRateCode.hzFor(6));
        assertEquals(-1, SampleRateCode.hzFor(7));
        assertEquals(-1, SampleRateCode.hzFor(200));
        assertEquals(-1, SampleRateCode.hzFor(-1));
    }

    @Test
    void describes_codes_for_messages() {
        assertEquals("48000 Hz", SampleRateCode.describe(3));
        assertEquals("other (code 7)", SampleRateCode.describe(7));
        assertEquals("unknown (code 9)", SampleRateCode.describe(9));
    }
}
