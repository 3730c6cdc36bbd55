package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Outputs captured on the lab (NtsIT's host, chrony 4.3): a source trusting the server's CA, and one trusting another CA. */
class NtsStatusTest {
    static final String GOOD = "nts.lab.test,NTS,1,15,256,9,0,0,8,100\n";
    static final String WRONG_CA = "nts.lab.test,NTS,0,0,0,4294967295,1,0,0,0\n";
    static final String TLS = "TLS handshake with 10.213.0.5:4460 (nts.lab.test) failed : Error in the certificate verification. "
            + "The certificate is NOT trusted. The certificate issuer is unknown.";

    @Test
    void aSourceWithCookiesNeedsNoNote() {
        assertEquals(List.of(), NtsStatus.notes(new ProbeSection("chronyc-authdata", GOOD, 0), null));
    }

    @Test
    void aSourceWithoutCookiesIsExplainedByChronydsTlsError() {
        assertEquals(List.of("NTS: no cookies from nts.lab.test: key exchange failed (1 attempt); chronyd: " + TLS),
                NtsStatus.notes(new ProbeSection("chronyc-authdata", WRONG_CA, 0), new ProbeSection("nts-log", TLS, 0)));
        assertEquals(List.of("NTS: no cookies from nts.lab.test: key exchange failed (1 attempt)"),
                NtsStatus.notes(new ProbeSection("chronyc-authdata", WRONG_CA, 0), null));
    }

    @Test
    void symmetricKeysAndFailedCommandsSayNothingAboutNts() {
        assertEquals(List.of(), NtsStatus.notes(new ProbeSection("chronyc-authdata", "10.0.0.1,SK,1,SHA256,256,3,0,0,0,0\n", 0), null));
        assertEquals(List.of(), NtsStatus.notes(new ProbeSection("chronyc-authdata", "501 Not authorised", 1), null));
        assertEquals(List.of(), NtsStatus.notes(null, null));
    }

    @Test
    void theStatusDetailNamesNts() {
        String out = "@tsync-status 1\n@section date\n2026-12-05T13:29:42+0000\n@exit date 0\n"
                + "@section systemctl\nId=chrony.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\nConditionResult=yes\n@exit systemctl 0\n"
                + "@section chronyc-sources\n^,?,10.213.0.5,0,8,0,0,0.000000000,0.000000000,0.000000000\n@exit chronyc-sources 0\n"
                + "@section chronyc-authdata\n" + WRONG_CA + "@exit chronyc-authdata 0\n@section nts-log\n" + TLS + "\n@exit nts-log 0\n@end\n";
        HostStatus s = StatusProbe.parse("h1", out);
        assertEquals(Verdict.UNSYNCED, s.verdict());
        assertEquals(true, s.detail().contains("NTS: no cookies from nts.lab.test: key exchange failed (1 attempt); chronyd: TLS handshake"), s.detail());
    }
}
