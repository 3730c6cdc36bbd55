package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link MetricsServer} on a loopback port: answers from the latest poll, polls on its own, keeps the last answer on a failed poll. */
class MetricsServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(MetricsServer s, String path, String method) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + s.address().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersEachScrapeFromTheLatestPoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), "text/plain; version=0.0.4; charset=utf-8",
                () -> {
                    int n = polls.incrementAndGet();
                    if (n == 3) {
                        throw new IllegalStateException("fleet gone");
                    }
                    return "tsync_poll " + n + "\n";
                }, Duration.ofMillis(200), new PrintStream(err, true));
        Thread runner = new Thread(() -> {
            try {
                server.run();
            } catch (InterruptedException e) {
                // stopped
            }
        });
        runner.start();
        try {
            HttpResponse<String> first = get(server, "/metrics", "GET");
            assertEquals(200, first.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", first.headers().firstValue("Content-Type").orElse(""));
            assertTrue(first.body().matches("tsync_poll [0-9]+\n"), first.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (polls.get() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String later = get(server, "/metrics", "GET").body();
            assertTrue(Integer.parseInt(later.strip().split(" ")[1]) >= 4, "a later poll answers: " + later);
            assertTrue(err.toString().contains("status poll failed: java.lang.IllegalStateException: fleet gone"), err.toString());
            assertEquals(404, get(server, "/nothing", "GET").statusCode());
            assertEquals(405, get(server, "/metrics", "POST").statusCode());
            assertEquals(200, get(server, "/metrics", "HEAD").statusCode());
            assertEquals(200, get(server, "/", "GET").statusCode());
        } finally {
            runner.interrupt();
            runner.join(5000);
            server.close();
        }
    }

    @Test
    void addressesAsWritten() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9469), MetricsServer.address("127.0.0.1:9469"));
        assertEquals(new InetSocketAddress(9469), MetricsServer.address(":9469"));
        assertEquals(new InetSocketAddress("::1", 9469), MetricsServer.address("[::1]:9469"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsServer.address("9469")).getMessage().contains("no port"));
        assertThrows(IllegalArgumentException.class, () -> MetricsServer.address("localhost:http"));
        assertThrows(IllegalArgumentException.class, () -> MetricsServer.address("localhost:70000"));
    }
}
