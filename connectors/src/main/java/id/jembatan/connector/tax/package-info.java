/**
 * The tax office (DJP): canonical events become taxpayer.xsd (v1) documents ({@link id.jembatan.connector.tax.TaxTranslator},
 * {@link id.jembatan.connector.tax.TaxXml}) POSTed over HTTP ({@link id.jembatan.connector.tax.TaxConnector}); the
 * tax office's side of that protocol for the demo and the tests is the sandboxes module's {@code TaxSandbox}.
 */
package id.jembatan.connector.tax;
