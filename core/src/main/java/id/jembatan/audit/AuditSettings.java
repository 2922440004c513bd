package id.jembatan.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit chain ({@code jembatan.audit.*}).
 *
 * @param lanes how many of the chain's lanes appends use (1 to {@value #MAX_LANES}, the lanes the schema holds): a
 *              transaction that appends takes the first lane no other transaction holds, so as many transactions
 *              can append at once as there are lanes; 1 makes the chain one line again, every append waiting for
 *              the one before it to commit
 */
@ConfigurationProperties(prefix = "jembatan.audit")
public record AuditSettings(@Min(1) @Max(MAX_LANES) @DefaultValue("16") int lanes) {

    /** The lanes the schema holds (migration V24). */
    public static final int MAX_LANES = 16;
}
