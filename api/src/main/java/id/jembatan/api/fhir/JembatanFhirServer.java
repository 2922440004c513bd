package id.jembatan.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * The bus's FHIR R4 server under {@code /fhir}: Patient lookups by NIK ({@link PatientLookupProvider}), Bulk Data
 * exports ({@link BulkExportProvider}), hospitals' death reports ({@link DeathReportProvider}) and the
 * capability statement, refusing as {@link FhirRefusals} says. It introduces itself as Jembatan: no
 * {@code X-Powered-By} header and no library name or version in the capability statement, which would tell a
 * caller which vulnerabilities to try.
 */
public class JembatanFhirServer extends RestfulServer {

    public JembatanFhirServer(FhirContext context, PatientLookupProvider patients, BulkExportProvider exports,
                              DeathReportProvider deaths) {
        super(context);
        setResourceProviders(patients);
        setPlainProviders(exports);
        registerProvider(deaths);
        registerInterceptor(new FhirRefusals());
        setDefaultPrettyPrint(false);
        setServerName("Jembatan");
        setServerVersion("1");
        setImplementationDescription("Jembatan: once-only Patient lookup by NIK, death reports");
    }

    @Override
    protected String createPoweredByHeader() {
        return null;
    }
}
