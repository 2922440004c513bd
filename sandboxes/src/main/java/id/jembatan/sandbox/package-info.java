/**
 * The demo agencies: each agency's side of its protocol (a tax office HTTP server, a FHIR server, a licensing drop
 * reader, a webhook receiver, the civil registry's notification inbox), one sub-package per agency, started in the
 * bus's process by {@link id.jembatan.sandbox.SandboxConfiguration} in the demo jar and the tests; the loopback servers
 * they listen with are in {@code id.jembatan.sandbox.server}. Never part of the production jar.
 */
package id.jembatan.sandbox;
