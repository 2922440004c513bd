package id.jembatan.bench;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditChain;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.audit.AuditVerification;
import id.jembatan.schema.fixtures.CitizenFixtures;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The audit chain's cost (phase {@code audit}), on the benchmark's bus: appends one after another, then from 4
 * threads at once, each append its own transaction as a lookup's is; then a verification of the whole chain. Figures
 * for operators, once an AuditIT test that timed the same without asserting anything.
 */
final class AuditChainBench {

    private AuditChainBench() {
    }

    static Map<String, Object> run(ConfigurableApplicationContext bus, CitizenFixtures fixtures, int appends)
            throws Exception {
        AuditTrail audit = bus.getBean(AuditTrail.class);
        AuditChain chain = bus.getBean(AuditChain.class);
        AuditRecord lookup = new AuditRecord("tax", fixtures.citizen().nik(), AuditAction.LOOKUP,
                "TAXPAYER_REGISTRATION", List.of("fullName", "birthDate", "address"), "HTTP", "OK", null);

        long start = System.nanoTime();
        for (int i = 0; i < appends; i++) {
            audit.append(lookup);
        }
        double sequentialMs = (System.nanoTime() - start) / 1e6;

        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        start = System.nanoTime();
        for (int t = 0; t < 4; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < appends / 4; i++) {
                    audit.append(lookup);
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        double concurrentMs = (System.nanoTime() - start) / 1e6;
        threads.shutdown();

        start = System.nanoTime();
        AuditVerification verified = chain.verify();
        double verifyMs = (System.nanoTime() - start) / 1e6;
        if (!verified.valid()) {
            throw new IllegalStateException("the chain broke under the benchmark: " + verified.reason());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("msPerAppendSequential", sequentialMs / appends);
        result.put("msPerAppendFrom4Threads", concurrentMs / (appends / 4 * 4));
        result.put("appendsPerSecondFrom4Threads", Math.round((appends / 4 * 4) / (concurrentMs / 1000)));
        result.put("verifiedEntries", verified.entries());
        result.put("verifyMs", verifyMs);
        return result;
    }
}
