package io.tsync.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus endpoint ({@code tsync status --serve}): one thread polls (runs {@code poll}) every
 * interval, and {@code GET /metrics} answers from the latest poll, so a scrape never waits for SSH
 * and many scrapers cost the fleet nothing. Plain JDK ({@code com.sun.net.httpserver}).
 */
public final class MetricsServer implements AutoCloseable {
    /** How long a scrape that arrives before the first poll finished waits for it. */
    static final Duration FIRST_POLL_WAIT = Duration.ofSeconds(10);

    private final HttpServer http;
    private final ExecutorService handlers;
    private final Callable<String> poll;
    private final Duration interval;
    private final PrintStream err;
    private final CountDownLatch firstPoll = new CountDownLatch(1);
    private volatile byte[] latest;

    /** Binds {@code address} at once (so a port in use fails before any host is contacted); serves after {@link #start}. */
    public MetricsServer(InetSocketAddress address, String contentType, Callable<String> poll, Duration interval, PrintStream err)
            throws IOException {
        this.poll = poll;
        this.interval = interval;
        this.err = err;
        this.http = HttpServer.create(address, 16);
        this.handlers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tsync-metrics-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(handlers);
        http.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, contentType);
            }
        });
    }

    /**
     * {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT} (every interface) as a socket address.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress address(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + spec + "' has no port: write ADDR:PORT, e.g. 127.0.0.1:9469 or :9469 for every interface");
        }
        String host = spec.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + spec + "': the port must be a number from 0 to 65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The address actually bound (port 0 becomes the port the system chose). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Starts answering, then polls every interval until the thread is interrupted. */
    public void run() throws InterruptedException {
        http.start();
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            pollOnce();
            long left = interval.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
        throw new InterruptedException();
    }

    /** One poll; a failed poll keeps the previous answer (its timestamp metric shows its age) and is reported. */
    void pollOnce() {
        try {
            latest = poll.call().getBytes(StandardCharsets.UTF_8);
            firstPoll.countDown();
        } catch (Exception e) {
            err.println("tsync: status poll failed: " + e);
        }
    }

    private void answer(HttpExchange ex, String contentType) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/metrics")) {
            try {
                firstPoll.await(FIRST_POLL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = latest;
            if (body == null) {
                send(ex, 503, "text/plain; charset=utf-8", "tsync: the first status poll has not finished yet\n".getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, 200, contentType, body);
            }
        } else if (path.equals("/")) {
            send(ex, 200, "text/html; charset=utf-8",
                    "<html><head><title>tsync</title></head><body><a href=\"/metrics\">/metrics</a></body></html>\n"
                            .getBytes(StandardCharsets.UTF_8));
        } else {
            send(ex, 404, "text/plain; charset=utf-8", "not found: try /metrics\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
    }
}
