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

{{- define "mantis.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
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
  value: /var/lib/mantis
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

{{/* The writable folders of a read-only root filesystem. */}}
{{- define "mantis.volumeMounts" -}}
- name: data
  mountPath: /var/lib/mantis
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "mantis.volumes" -}}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- end -}}
