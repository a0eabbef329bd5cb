{{/* Names, labels and the environment shared by every MANTIS pod. */}}

{{- define "mantis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mantis.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of a target's objects: <fullname>-<target>, within 63 characters. */}}
{{- define "mantis.targetName" -}}
{{- printf "%s-%s" (include "mantis.fullname" .root | trunc 52 | trimSuffix "-") .target -}}
{{- end -}}

{{- define "mantis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mantis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mantis.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mantis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mantis
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A target's selector: the release's and app.kubernetes.io/component = the target. */}}
{{- define "mantis.targetSelectorLabels" -}}
{{ include "mantis.selectorLabels" .root }}
app.kubernetes.io/component: {{ .target }}
{{- end -}}

{{- define "mantis.targetLabels" -}}
{{ include "mantis.labels" .root }}
app.kubernetes.io/component: {{ .target }}
{{- end -}}

{{- define "mantis.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mantis.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag, or repository:tag@digest when image.digest is set (the digest then decides). */}}
{{- define "mantis.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- with .Values.image.digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/* An env entry read from an existing Secret: dict "name" "secret" "key" "value". */}}
{{- define "mantis.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end -}}

{{/*
The MANTIS settings every pod gets (the compose stack's x-mantis environment, with its secrets read from
existing Secrets). Fails the render, naming the value, when a Secret a dependency needs is not named.
*/}}
{{- define "mantis.env" -}}
{{- $v := .Values -}}
- name: MANTIS_HTTP_HOST
  value: "0.0.0.0"
- name: MANTIS_HTTP_PORT
  value: {{ $v.httpPort | quote }}
- name: MANTIS_DATA_DIR
  value: {{ include "mantis.dataDir" . }}
{{- /* No pod opens the embedded MQTT listener: no Service or policy leads to it. */}}
- name: MANTIS_MQTT_LISTEN
  value: "off"
- name: MANTIS_LOG_LEVEL
  value: {{ $v.logLevel | quote }}
- name: MANTIS_BUS_URL
  value: {{ printf "kafka://%s" (required "kafka.brokers is required: the Kafka brokers, host:port[,host:port]" $v.kafka.brokers) | quote }}
- name: MANTIS_BUS_PARTITIONS
  value: {{ $v.kafka.partitions | quote }}
- name: MANTIS_BUS_REPLICATION_FACTOR
  value: {{ $v.kafka.replicationFactor | quote }}
- name: MANTIS_BUS_RETENTION_HOURS
  value: {{ $v.kafka.retentionHours | quote }}
{{- with $v.kafka.topicPrefix }}
- name: MANTIS_BUS_TOPIC_PREFIX
  value: {{ . | quote }}
{{- end }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_DATABASE_URL" "secret" (required "postgresql.existingSecret is required: the Secret holding the PostgreSQL URL (key postgresql.urlKey)" $v.postgresql.existingSecret) "key" $v.postgresql.urlKey) }}
{{- with $v.postgresql.maxConnections }}
- name: MANTIS_DATABASE_MAX_CONNECTIONS
  value: {{ . | quote }}
{{- end }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_INGEST_TOKEN" "secret" (required "ingestToken.existingSecret is required: the Secret holding the ingest/bootstrap token (key ingestToken.key)" $v.ingestToken.existingSecret) "key" $v.ingestToken.key) }}
{{- if $v.redis.enabled }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_ONLINE_STORE_URL" "secret" (required "redis.existingSecret is required when redis.enabled: the Secret holding the Redis URL (key redis.urlKey)" $v.redis.existingSecret) "key" $v.redis.urlKey) }}
{{- end }}
{{- if $v.influxdb.enabled }}
- name: MANTIS_RAW_STORE_URL
  value: {{ required "influxdb.url is required when influxdb.enabled" $v.influxdb.url | quote }}
{{ include "mantis.secretEnv" (dict "name" "INFLUX_TOKEN" "secret" (required "influxdb.existingSecret is required when influxdb.enabled: the Secret holding the InfluxDB token (key influxdb.tokenKey)" $v.influxdb.existingSecret) "key" $v.influxdb.tokenKey) }}
{{- end }}
{{- if $v.s3.enabled }}
- name: MANTIS_OBJECT_STORE_URL
  value: {{ required "s3.url is required when s3.enabled" $v.s3.url | quote }}
{{- if not $v.s3.useWorkloadIdentity }}
{{- $secret := required "s3.existingSecret is required when s3.enabled (or set s3.useWorkloadIdentity): the Secret holding the S3 keys (keys s3.accessKeyIdKey, s3.secretAccessKeyKey)" $v.s3.existingSecret }}
{{ include "mantis.secretEnv" (dict "name" "AWS_ACCESS_KEY_ID" "secret" $secret "key" $v.s3.accessKeyIdKey) }}
{{ include "mantis.secretEnv" (dict "name" "AWS_SECRET_ACCESS_KEY" "secret" $secret "key" $v.s3.secretAccessKeyKey) }}
{{- end }}
{{- end }}
{{- if $v.mlflow.enabled }}
{{- if $v.mlflow.existingSecret }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_ML_TRACKING_URL" "secret" $v.mlflow.existingSecret "key" $v.mlflow.urlKey) }}
{{- else }}
- name: MANTIS_ML_TRACKING_URL
  value: {{ required "mlflow.trackingUrl (or mlflow.existingSecret) is required when mlflow.enabled" $v.mlflow.trackingUrl | quote }}
{{- end }}
{{- end }}
{{- with $v.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- range $name, $value := $v.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* MANTIS_DATA_DIR, where the data volume is mounted. */}}
{{- define "mantis.dataDir" -}}
/var/lib/mantis
{{- end -}}

{{/* The writable folders of a read-only root filesystem: the data folder and /tmp (InfluxDB backups). */}}
{{- define "mantis.volumeMounts" -}}
- name: data
  mountPath: {{ include "mantis.dataDir" . }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* emptyDirs with a sizeLimit: past it the kubelet evicts the pod instead of filling the node's disk. */}}
{{- define "mantis.volumes" -}}
- name: data
  emptyDir:
    sizeLimit: {{ .Values.volumes.data.sizeLimit | quote }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.volumes.tmp.sizeLimit | quote }}
{{- end -}}

{{/*
Names the chart sets itself (from the values named here), refused in env, <target>.env and extraEnv: a second
entry would silently win over the chart's (e.g. a loopback MANTIS_HTTP_HOST that fails every probe).
*/}}
{{- define "mantis.managedEnv" -}}
{{- dict
  "MANTIS_HTTP_HOST" "the chart binds 0.0.0.0 so that probes and Services reach the pod"
  "MANTIS_HTTP_PORT" "use httpPort"
  "MANTIS_DATA_DIR" "the data volume is mounted there"
  "MANTIS_LOG_LEVEL" "use logLevel"
  "MANTIS_BUS_URL" "use kafka.brokers"
  "MANTIS_BUS_PARTITIONS" "use kafka.partitions"
  "MANTIS_BUS_REPLICATION_FACTOR" "use kafka.replicationFactor"
  "MANTIS_BUS_RETENTION_HOURS" "use kafka.retentionHours"
  "MANTIS_BUS_TOPIC_PREFIX" "use kafka.topicPrefix"
  "MANTIS_DATABASE_URL" "use postgresql.existingSecret"
  "MANTIS_DATABASE_MAX_CONNECTIONS" "use postgresql.maxConnections"
  "MANTIS_INGEST_TOKEN" "use ingestToken.existingSecret"
  "MANTIS_ONLINE_STORE_URL" "use redis.*"
  "MANTIS_RAW_STORE_URL" "use influxdb.*"
  "MANTIS_OBJECT_STORE_URL" "use s3.*"
  "MANTIS_ML_TRACKING_URL" "use mlflow.*"
  | toJson -}}
{{- end -}}

{{/* Fails the render when an extra env entry (values path, name) takes a name the chart sets. */}}
{{- define "mantis.checkEnvName" -}}
{{- $managed := include "mantis.managedEnv" .root | fromJson -}}
{{- if hasKey $managed .name -}}
{{- fail (printf "%s sets %s, which the chart sets itself: %s" .path .name (get $managed .name)) -}}
{{- end -}}
{{- if hasPrefix "MANTIS_MQTT_" .name -}}
{{- fail (printf "%s sets %s: use mqtt.* (only the single %s pod may subscribe to a broker; the embedded listener stays off)" .path .name (include "mantis.targetName" (dict "root" .root "target" "mqtt"))) -}}
{{- end -}}
{{- end -}}

{{/* Checks env, every <target>.env and extraEnv once; included by deployments.yaml. */}}
{{- define "mantis.checkEnv" -}}
{{- $root := . -}}
{{- range $name, $_ := $root.Values.env }}{{ include "mantis.checkEnvName" (dict "root" $root "path" "env" "name" $name) }}{{ end -}}
{{- range $target := list "ingest" "process" "api" "etl" "mqtt" -}}
{{- range $name, $_ := (index $root.Values $target).env }}{{ include "mantis.checkEnvName" (dict "root" $root "path" (printf "%s.env" $target) "name" $name) }}{{ end -}}
{{- end -}}
{{- range $i, $e := $root.Values.extraEnv }}{{ include "mantis.checkEnvName" (dict "root" $root "path" (printf "extraEnv[%d]" $i) "name" (required (printf "extraEnv[%d].name is required" $i) $e.name)) }}{{ end -}}
{{- end -}}

{{/*
Checks that JSON Schema cannot express: the names every object is built from, and the two Service ports.
*/}}
{{- define "mantis.checkValues" -}}
{{- $full := include "mantis.fullname" . -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $full) -}}
{{- fail (printf "the release's full name %q (release name %q, nameOverride or fullnameOverride) must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter): it names the Services" $full .Release.Name) -}}
{{- end -}}
{{- if eq (int .Values.httpPort) (int .Values.metricsServicePort) -}}
{{- fail (printf "metricsServicePort (%v) must differ from httpPort (%v): each Service would publish port %v twice" .Values.metricsServicePort .Values.httpPort .Values.httpPort) -}}
{{- end -}}
{{- include "mantis.checkEnv" . -}}
{{- end -}}

{{/*
A target's PodDisruptionBudget spec (minAvailable or maxUnavailable). With an effective minimum of one replica
(replicas, or the HPA's minReplicas) or fewer, maxUnavailable 1 whatever the values say: any other budget
would leave no disruption allowed and block every node drain. A budget that allows none with more replicas
fails the render, naming the value. Percentages round up, as the disruption controller does.
*/}}
{{- define "mantis.pdbSpec" -}}
{{- $t := .t -}}
{{- $min := int $t.replicas -}}
{{- if and (hasKey $t "autoscaling") $t.autoscaling.enabled }}{{ $min = int $t.autoscaling.minReplicas }}{{ end -}}
{{- $pdb := $t.pdb | default dict -}}
{{- if le $min 1 -}}
maxUnavailable: 1
{{- else if and (hasKey $pdb "minAvailable") (not (kindIs "invalid" $pdb.minAvailable)) -}}
{{- $v := $pdb.minAvailable -}}
{{- $need := 0 -}}
{{- if kindIs "string" $v }}{{ $need = div (add (mul (trimSuffix "%" $v | int) $min) 99) 100 }}{{ else }}{{ $need = int $v }}{{ end -}}
{{- if ge (int $need) $min -}}
{{- fail (printf "%s.pdb.minAvailable (%v) leaves none of the %d replicas free to be evicted: node drains would block; lower it or use maxUnavailable" .target $v $min) -}}
{{- end -}}
minAvailable: {{ $v }}
{{- else -}}
maxUnavailable: {{ $pdb.maxUnavailable | default 1 }}
{{- end -}}
{{- end -}}


{{/* The Deployments rendered, as a JSON list: the four targets, and mqtt when enabled. */}}
{{- define "mantis.deployedTargets" -}}
{{- $targets := list "ingest" "process" "api" "etl" -}}
{{- if .Values.mqtt.enabled }}{{ $targets = append $targets "mqtt" }}{{ end -}}
{{- $targets | toJson -}}
{{- end -}}

{{/* The MQTT subscriber's settings (README "Over MQTT"): the broker, its session and its credentials. */}}
{{- define "mantis.mqttEnv" -}}
{{- $m := .Values.mqtt -}}
- name: MANTIS_MQTT_URL
  value: {{ required "mqtt.url is required when mqtt.enabled: the broker, mqtt://host:1883 or mqtts://host:8883" $m.url | quote }}
- name: MANTIS_MQTT_CLIENT_ID
  value: {{ default (include "mantis.targetName" (dict "root" . "target" "mqtt")) $m.clientId | quote }}
- name: MANTIS_MQTT_TOPIC
  value: {{ $m.topic | quote }}
- name: MANTIS_MQTT_PROTOCOL_VERSION
  value: {{ $m.protocolVersion | quote }}
{{- with $m.existingSecret }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_MQTT_USERNAME" "secret" . "key" $m.usernameKey) }}
{{ include "mantis.secretEnv" (dict "name" "MANTIS_MQTT_PASSWORD" "secret" . "key" $m.passwordKey) }}
{{- end }}
{{- end -}}
