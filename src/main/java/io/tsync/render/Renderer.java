package io.tsync.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.tsync.model.Daemon;
import io.tsync.model.NtpSpec;
import io.tsync.model.Refclock;
import io.tsync.model.Server;
import io.tsync.platform.Platform;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders daemon config files from FreeMarker templates: those in {@code --templates DIR} first,
 * then the ones built into the jar (copied from the project's {@code templates/}). Strict: a
 * missing value fails; no class resolution ({@code ?new}) and no {@code ?api}. Deterministic output.
 */
public final class Renderer {
    private final Configuration cfg;

    public Renderer(Path overrideDir) throws IOException {
        cfg = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (overrideDir != null) {
            loaders.add(new FileTemplateLoader(overrideDir.toFile()));
        }
        loaders.add(new ClassTemplateLoader(Renderer.class, "/templates"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0])));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
        cfg.setLocalizedLookup(false);
    }

    /** The data model a template sees; documented in README "Templates" and docs/ntp.md. */
    public static Map<String, Object> model(Platform.DaemonSpec spec, NtpSpec ntp) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> servers = new ArrayList<>();
        boolean nts = false;
        for (Server s : ntp.servers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("host", s.host());
            e.put("kind", s.kind().directive());
            e.put("pool", s.pool());
            e.put("iburst", s.iburst());
            e.put("prefer", s.prefer());
            e.put("nts", s.nts());
            e.put("trust", s.trust());
            e.put("require", s.require());
            e.put("xleave", s.xleave());
            putIfSet(e, "minpoll", s.minpoll());
            putIfSet(e, "maxpoll", s.maxpoll());
            putIfSet(e, "key", s.key());
            putIfSet(e, "maxsources", s.maxsources());
            nts |= s.nts();
            servers.add(e);
        }
        m.put("servers", servers);
        m.put("nts", nts);
        m.put("daemon", ntp.daemon().key());
        m.put("driftfile", ntp.driftfile() != null ? ntp.driftfile() : spec.driftfile() == null ? "" : spec.driftfile());
        m.put("makestep", Map.of("threshold", String.valueOf(ntp.makestep().threshold()), "limit", ntp.makestep().limit()));
        m.put("rtcsync", ntp.rtcsync());
        List<Map<String, Object>> allow = new ArrayList<>();
        for (String a : ntp.allow()) {
            allow.add(network(a));
        }
        m.put("allow", allow);
        m.put("service", spec.service());
        m.put("config_path", spec.configPath());

        NtpSpec.Advanced a = ntp.advanced();
        Platform.Kept kept = spec.kept();
        List<Map<String, Object>> refclocks = new ArrayList<>();
        for (Refclock r : a.refclocks()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("device", r.device());
            putIfSet(e, "poll", r.poll());
            putIfSet(e, "dpoll", r.dpoll());
            putIfSet(e, "offset", r.offset() == null ? null : plain(r.offset()));
            e.put("prefer", r.prefer());
            refclocks.add(e);
        }
        m.put("refclocks", refclocks);
        putIfSet(m, "minsources", a.minsources());
        putIfSet(m, "maxdistance", a.maxdistance() == null ? null : plain(a.maxdistance()));
        if (a.maxchange() != null) {
            m.put("maxchange", Map.of("offset", plain(a.maxchange().offset()), "start", a.maxchange().start(), "ignore", a.maxchange().ignore()));
        }
        List<Map<String, Object>> deny = new ArrayList<>();
        for (String d : a.deny()) {
            deny.add(network(d));
        }
        m.put("deny", deny);
        m.put("bindaddress", a.bindaddress());
        if (a.local() != null) {
            Map<String, Object> local = new LinkedHashMap<>();
            local.put("stratum", a.local().stratum());
            local.put("orphan", a.local().orphan());
            putIfSet(local, "distance", a.local().distance() == null ? null : plain(a.local().distance()));
            m.put("local", local);
        }
        // a host serving time keeps chronyd's command port off the network unless the playbook says otherwise
        Integer cmdport = a.cmdport() != null ? a.cmdport() : ntp.serves() && ntp.daemon() == Daemon.CHRONY ? Integer.valueOf(0) : null;
        putIfSet(m, "cmdport", cmdport);
        boolean keys = !a.keys().isEmpty();
        m.put("keyfile", spec.keyFile() != null && (keys || kept.keyfile()) ? spec.keyFile().path() : "");
        m.put("key_ids", a.keys().stream().map(k -> k.id()).toList());
        m.put("authselectmode", a.authselectmode() == null ? "" : a.authselectmode());
        m.put("leap", a.leapsectz() != null ? "leapsectz " + a.leapsectz() : kept.leap() == null ? "" : kept.leap());
        m.put("leapsecmode", a.leapsecmode() == null ? "" : a.leapsecmode());
        putIfSet(m, "maxslewrate", a.maxslewrate() == null ? null : plain(a.maxslewrate()));
        if (a.smoothtime() != null) {
            m.put("smoothtime", Map.of("max_freq", plain(a.smoothtime().maxFreq()), "max_wander", plain(a.smoothtime().maxWander()),
                    "leaponly", a.smoothtime().leapOnly()));
        }
        m.put("ntsdumpdir", kept.ntsdumpdir() != null || nts ? kept.ntsdumpdirOrDefault() : "");
        m.put("ntstrustedcerts", a.ntsTrustedCerts() != null && spec.trustedCerts() != null ? spec.trustedCerts().path() : "");
        m.put("dhcp_sourcedir", a.dhcpServers() && kept.dhcpSourcedir() != null ? kept.dhcpSourcedir() : "");
        m.put("fallback", a.fallback());
        if (a.pollInterval() != null) {
            putIfSet(m, "poll_min", a.pollInterval().minSec());
            putIfSet(m, "poll_max", a.pollInterval().maxSec());
        }
        m.put("extra", a.extra());
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** A number as a config file wants it: no exponent, no trailing zeros (1000, 0.001024, 3.5). */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static Map<String, Object> network(String cidr) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network", cidr);
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        out.put("address", addr);
        String mask = "";
        if (slash >= 0 && !addr.contains(":")) {
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            long m = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            mask = ((m >> 24) & 255) + "." + ((m >> 16) & 255) + "." + ((m >> 8) & 255) + "." + (m & 255);
        } else if (slash >= 0) {
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            StringBuilder sb = new StringBuilder();
            for (int g = 0; g < 8; g++) {
                int gb = Math.max(0, Math.min(16, bits - g * 16));
                int v = gb == 0 ? 0 : (0xFFFF << (16 - gb)) & 0xFFFF;
                sb.append(g == 0 ? "" : ":").append(Integer.toHexString(v));
            }
            mask = sb.toString();
        }
        out.put("mask", mask);
        return out;
    }

    public String render(Platform.DaemonSpec spec, NtpSpec ntp) throws RenderException {
        try {
            Template t = cfg.getTemplate(spec.template());
            StringWriter w = new StringWriter();
            t.process(model(spec, ntp), w);
            return w.toString();
        } catch (TemplateException e) {
            throw new RenderException("template " + spec.template() + " failed at line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ": " + firstLine(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new RenderException("cannot load template " + spec.template() + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().lines().findFirst().orElse("");
    }

    /** A template could not be rendered. */
    public static final class RenderException extends Exception {
        public RenderException(String message) {
            super(message);
        }
    }
}
