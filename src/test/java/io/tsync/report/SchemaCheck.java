package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a JSON document tsync printed against its schema in docs/schemas/ (draft 2020-12), with
 * networknt's json-schema-validator: the schemas are the contract scripts rely on, so the tests
 * hold the real outputs to them. Unit tests and lab ITs share it.
 */
public final class SchemaCheck {
    /** docs/schemas/, found from the project root (surefire and failsafe run there). */
    public static final Path DIR = Path.of("docs/schemas");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaCheck() {}

    /** The schema {@code docs/schemas/NAME.schema.json}, e.g. {@code apply}. */
    public static Schema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            try {
                return REGISTRY.getSchema(Files.readString(DIR.resolve(n + ".schema.json"), StandardCharsets.UTF_8), InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What is wrong with {@code json} by the schema {@code name}, one message each; empty when valid. */
    public static List<String> errors(String name, String json) {
        return schema(name).validate(json, InputFormat.JSON).stream().map(SchemaCheck::describe).toList();
    }

    private static String describe(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }

    public static void assertValid(String name, String json) {
        List<String> errors = errors(name, json);
        assertEquals(List.of(), errors, "not a valid " + name + " document by docs/schemas/" + name + ".schema.json:\n" + json);
    }

    /** Asserts {@code json} fails the schema and says so naming {@code what} (e.g. the renamed key). */
    public static void assertInvalid(String name, String json, String what) {
        List<String> errors = errors(name, json);
        assertTrue(!errors.isEmpty(), "docs/schemas/" + name + ".schema.json accepts:\n" + json);
        assertTrue(errors.stream().anyMatch(e -> e.contains(what)), "no error names " + what + ": " + errors);
    }
}
