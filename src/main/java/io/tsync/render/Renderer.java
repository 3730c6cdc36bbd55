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
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.platform.Platform;
import java.io.IOException;
import java.io.StringWriter;
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

    /** The data model a template sees; documented in README "Templates". */
    public static Map<String, Object> model(Platform.DaemonSpec spec, NtpSpec ntp) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> servers = new ArrayList<>();
        boolean nts = false;
        for (Server s : ntp.servers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("host", s.host());
            e.put("pool", s.pool());
            e.put("iburst", s.iburst());
            e.put("prefer", s.prefer());
            e.put("nts", s.nts());
            if (s.minpoll() != null) {
                e.put("minpoll", s.minpoll());
            }
            if (s.maxpoll() != null) {
                e.put("maxpoll", s.maxpoll());
            }
            nts |= s.nts();
            servers.add(e);
        }
        m.put("servers", servers);
        m.put("nts", nts);
        m.put("daemon", ntp.daemon().key());
        m.put("driftfile", ntp.driftfile() != null ? ntp.driftfile() : spec.driftfile());
        m.put("makestep", Map.of("threshold", String.valueOf(ntp.makestep().threshold()), "limit", ntp.makestep().limit()));
        m.put("rtcsync", ntp.rtcsync());
        List<Map<String, Object>> allow = new ArrayList<>();
        for (String a : ntp.allow()) {
            allow.add(network(a));
        }
        m.put("allow", allow);
        m.put("service", spec.service());
        m.put("config_path", spec.configPath());
        return m;
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
