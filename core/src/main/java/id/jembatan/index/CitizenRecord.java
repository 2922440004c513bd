package id.jembatan.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import id.jembatan.schema.model.Citizen;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** The current master record of one citizen: identity as registered at birth, changed by each later event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CitizenRecord(
        @JsonUnwrapped Citizen citizen,
        String spouseNik,
        LocalDate dateOfDeath,
        String placeOfDeath,
        long version,
        OffsetDateTime updatedAt) {

    public boolean deceased() {
        return dateOfDeath != null;
    }
}
