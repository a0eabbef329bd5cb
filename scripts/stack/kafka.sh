#!/usr/bin/env bash
# A single-node Apache Kafka 4.x broker in KRaft mode (broker and controller in one process), built from
# Maven Central's org.apache.kafka:kafka_2.13 and its dependencies and run with Java 17.
# The broker's JVM metrics are served at http://127.0.0.1:${MANTIS_KAFKA_JMX_PORT:-7071}/metrics by the
# Prometheus JMX exporter agent (io.prometheus.jmx:jmx_prometheus_javaagent) with deploy/kafka/jmx-exporter.yml.
# Usage: kafka.sh start|stop|restart|kill|status|url|metrics-url|perf <args…>
source "$(dirname "$0")/lib.sh"
KAFKA_VERSION="${MANTIS_KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${MANTIS_KAFKA_PORT:-9092}"
JMX_PORT="${MANTIS_KAFKA_JMX_PORT:-7071}"
JMX_EXPORTER_VERSION="1.0.1"
CONTROLLER_PORT=$((KAFKA_PORT + 1))
KAFKA_LIBS="${STACK_CACHE}/kafka-${KAFKA_VERSION}/libs"
KAFKA_HOME="${STACK_RUN}/kafka"
HERE="$(cd "$(dirname "$0")" && pwd)"
M2="${HOME}/.cache/mantis/m2"
JMX_AGENT="${M2}/io/prometheus/jmx/jmx_prometheus_javaagent/${JMX_EXPORTER_VERSION}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar"
JMX_CONFIG="${HERE}/../../deploy/kafka/jmx-exporter.yml"

fetch() {
  if [ ! -f "${JMX_AGENT}" ]; then
    log "fetching the Prometheus JMX exporter agent ${JMX_EXPORTER_VERSION} from Maven Central"
    mvn -q -B dependency:get -Dmaven.repo.local="${M2}" -Dtransitive=false \
      -Dartifact="io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}"
  fi
  [ -f "${KAFKA_LIBS}/.complete" ] && return 0
  log "fetching Kafka ${KAFKA_VERSION} and its dependencies from Maven Central"
  local build="${STACK_CACHE}/kafka-${KAFKA_VERSION}"
  mkdir -p "${build}"
  sed "s/@KAFKA_VERSION@/${KAFKA_VERSION}/g" "${HERE}/kafka-pom.xml" >"${build}/pom.xml"
  mvn -q -B -f "${build}/pom.xml" -Dmaven.repo.local="${M2}" \
    dependency:copy-dependencies -DoutputDirectory="${KAFKA_LIBS}" -DincludeScope=runtime
  touch "${KAFKA_LIBS}/.complete"
}

java_cp() { java -Xms512m -Xmx1g -Dlog4j2.configurationFile="${HERE}/kafka-log4j2.properties" -cp "${KAFKA_LIBS}/*" "$@"; }

configure() {
  mkdir -p "${KAFKA_HOME}"
  cat >"${KAFKA_HOME}/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${KAFKA_HOME}/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# A consumer that dies without leaving frees its partitions after 10 s (Kafka's default is 45 s).
group.consumer.min.session.timeout.ms=6000
group.consumer.session.timeout.ms=10000
auto.create.topics.enable=false
CONF
  if [ ! -f "${KAFKA_HOME}/data/meta.properties" ]; then
    java_cp kafka.tools.StorageTool format -t "mantis-stack-kraft-01" -c "${KAFKA_HOME}/server.properties" >/dev/null
  fi
}

pid() { cat "${KAFKA_HOME}/kafka.pid" 2>/dev/null || true; }
running() { local p; p=$(pid); [ -n "${p}" ] && kill -0 "${p}" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/${KAFKA_PORT}") 2>/dev/null; }

start() {
  fetch
  configure
  if ! running; then
    nohup java -Xms512m -Xmx1g -Dlog4j2.configurationFile="${HERE}/kafka-log4j2.properties" -cp "${KAFKA_LIBS}/*" \
      -javaagent:"${JMX_AGENT}=127.0.0.1:${JMX_PORT}:${JMX_CONFIG}" kafka.Kafka "${KAFKA_HOME}/server.properties" >"${KAFKA_HOME}/server.log" 2>&1 &
    echo $! >"${KAFKA_HOME}/kafka.pid"
  fi
  wait_for 90 "kafka on ${KAFKA_PORT}" ours_listening
  wait_for 30 "kafka JMX metrics on ${JMX_PORT}" jmx_metrics
}

jmx_metrics() { [[ "$(curl -fsS "http://127.0.0.1:${JMX_PORT}/metrics")" == *jvm_memory_used_bytes* ]]; }

# Our broker, not another process that holds the port.
ours_listening() {
  running || { log "kafka exited; see ${KAFKA_HOME}/server.log"; tail -5 "${KAFKA_HOME}/server.log" >&2; exit 1; }
  port_open
}

stop() {
  if running; then
    kill "$(pid)"
    for _ in $(seq 1 60); do running || break; sleep 0.5; done
    running && kill -9 "$(pid)"
  fi
  rm -f "${KAFKA_HOME}/kafka.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  kill) running && kill -9 "$(pid)"; rm -f "${KAFKA_HOME}/kafka.pid" ;;
  status) running && echo "kafka running on ${KAFKA_PORT}" || { echo "kafka stopped"; exit 1; } ;;
  url) echo "kafka://127.0.0.1:${KAFKA_PORT}" ;;
  metrics-url) echo "http://127.0.0.1:${JMX_PORT}/metrics" ;;
  perf) shift; fetch; java_cp org.apache.kafka.tools.ProducerPerformance "$@" ;;
  *) echo "usage: $0 start|stop|restart|kill|status|url|metrics-url|perf" >&2; exit 2 ;;
esac
