/**
 * Agency connectors: the SPI ({@link id.jembatan.connector.AgencyConnector}, for a connector that sends itself;
 * {@link id.jembatan.connector.QueueConnector}, for one whose agency reads a queue of the bus's broker;
 * {@link id.jembatan.connector.Translator}; {@link id.jembatan.connector.ConnectorFactory}) and one sub-package per
 * connector type or agency with its translator, connector, the type's factory and its settings record. The agencies'
 * side of each protocol, for the demo and the tests, is in the sandboxes module ({@code id.jembatan.sandbox}).
 */
package id.jembatan.connector;
