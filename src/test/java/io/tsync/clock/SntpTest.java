package io.tsync.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** SNTP packets (RFC 5905 section 7.3) built and read, and the offset from the four timestamps. */
class SntpTest {
    static final long T1 = 1_764_900_000_250_000_000L;

    @Test
    void aRequestIsVersion4ClientModeWithItsTransmitTimestamp() {
        byte[] r = Sntp.request(T1);
        assertEquals(48, r.length);
        assertEquals(0x23, r[0] & 0xff, "LI 0, VN 4, mode 3");
        ByteBuffer b = ByteBuffer.wrap(r);
        assertEquals(T1 / 1_000_000_000L + Sntp.EPOCH_DELTA, b.getLong(40) >>> 32);
        assertEquals(0x4000_0000L, b.getLong(40) & 0xffff_ffffL, "0.25 s is a quarter of 2^32");
        for (int i = 1; i < 40; i++) {
            assertEquals(0, r[i], "byte " + i);
        }
    }

    @Test
    void ntpTimestampsRoundTripAcrossEras() {
        for (long t : new long[] {T1, 0L, 2_085_978_495_999_999_999L, 2_085_978_496_500_000_000L, 2_200_000_000_123_456_789L}) {
            assertEquals(t, Sntp.fromNtp(Sntp.toNtp(t)), 1, "t=" + t);
        }
        // 2036-02-07T06:28:16Z is era 1 second 0
        assertEquals(0L, Sntp.toNtp(2_085_978_496_000_000_000L) >>> 32);
    }

    static byte[] reply(int first, int stratum, long origin, long receive, long transmit) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put(0, (byte) first);
        b.put(1, (byte) stratum);
        b.put(12, (byte) 'R').put(13, (byte) 'A').put(14, (byte) 'T').put(15, (byte) 'E');
        b.putLong(24, origin);
        b.putLong(32, receive);
        b.putLong(40, transmit);
        return b.array();
    }

    @Test
    void aServerAheadBy300MsWithA2MsRoundTrip() {
        long sent = Sntp.toNtp(T1);
        long t2 = T1 + 1_000_000 + 300_000_000;
        long t3 = t2 + 50_000;
        long t4 = T1 + 2_050_000;
        Sntp.Reply r = Sntp.parse(reply(0x24, 2, sent, Sntp.toNtp(t2), Sntp.toNtp(t3)), 48, sent);
        assertEquals(2, r.stratum());
        assertEquals(4, r.version());
        ClockOffset o = Sntp.offset(r, t4, "ntp1");
        assertEquals(0.3, o.seconds(), 1e-6);
        assertEquals(0.001, o.errorSeconds(), 1e-6, "half of (t4 - t1) - (t3 - t2)");
        assertEquals("ntp1", o.against());
    }

    @Test
    void unusableRepliesAreRefusedWithTheReason() {
        long sent = Sntp.toNtp(T1);
        long ts = Sntp.toNtp(T1 + 1_000_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0x24, 2, sent, ts, ts), 40, sent))
                .getMessage().contains("short"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0x23, 2, sent, ts, ts), 48, sent))
                .getMessage().contains("mode 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0x24, 0, sent, ts, ts), 48, sent))
                .getMessage().contains("RATE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0xe4, 16, sent, ts, ts), 48, sent))
                .getMessage().contains("not synchronised"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0x24, 2, sent + 1, ts, ts), 48, sent))
                .getMessage().contains("another request"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sntp.parse(reply(0x24, 2, sent, ts, 0), 48, sent))
                .getMessage().contains("transmit"));
    }
}
