/**
 * The civil registry (Dukcapil), owner of every life event. Its events reach the bus through the ingest API and the
 * inbound queue; what the bus sends it are notifications from non-owners (a hospital's reported death), on its
 * inbox queue. {@link id.jembatan.sandbox.civilregistry.CivilRegistrySandbox} is the registry's side of that inbox
 * for the demo and the tests.
 */
package id.jembatan.sandbox.civilregistry;
