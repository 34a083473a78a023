{{/* Names and labels as the real flyte-core sets them (FLYTE-CHART.md §4). */}}
{{- define "flyte.name" -}}{{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "flyte.namespace" -}}{{ default .Release.Namespace .Values.forceNamespace }}{{- end -}}
{{- define "flyte.chart" -}}{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}{{- end -}}

{{/* include "flyte.labels" (list $ "flyteadmin") */}}
{{- define "flyte.selectorLabels" -}}
{{- $ctx := index . 0 -}}
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/instance: {{ $ctx.Release.Name }}
{{- end -}}
{{- define "flyte.labels" -}}
{{ include "flyte.selectorLabels" . }}
helm.sh/chart: {{ include "flyte.chart" (index . 0) }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
{{- end -}}
{{/* pod labels = labels + <component>.podLabels: include "flyte.podLabels" (list $ "flyteadmin" .Values.flyteadmin) */}}
{{- define "flyte.podLabels" -}}
{{ include "flyte.labels" (list (index . 0) (index . 1)) }}
{{- with (index . 2).podLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Scheduling keys shared by every component: include "flyte.podScheduling" .Values.flyteadmin */}}
{{- define "flyte.podScheduling" -}}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .nodeSelector }}
nodeSelector: {{ toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity: {{ toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations: {{ toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "flyte.image" -}}{{ .image.repository }}:{{ .image.tag }}{{- end -}}

{{/* storage.yaml body, per storage.type */}}
{{- define "storage.base" -}}
storage:
{{- if eq .Values.storage.type "s3" }}
  type: s3
  container: {{ tpl .Values.storage.bucketName . | quote }}
  connection:
    auth-type: {{ .Values.storage.s3.authType }}
    region: {{ .Values.storage.s3.region }}
    {{- with .Values.storage.s3.endpoint }}
    endpoint: {{ . }}
    {{- end }}
    {{- if eq .Values.storage.s3.authType "accesskey" }}
    access-key: {{ .Values.storage.s3.accessKey }}
    secret-key: {{ .Values.storage.s3.secretKey }}
    {{- end }}
{{- else if eq .Values.storage.type "gcs" }}
  type: stow
  stow:
    kind: google
    config:
      json: ""
      project_id: {{ .Values.storage.gcs.projectId }}
      scopes: https://www.googleapis.com/auth/cloud-platform
  container: {{ tpl .Values.storage.bucketName . | quote }}
{{- else if eq .Values.storage.type "sandbox" }}
  type: minio
  container: {{ tpl .Values.storage.bucketName . | quote }}
  stow:
    kind: s3
    config:
      access_key_id: minio
      auth_type: accesskey
      secret_key: miniostorage
      disable_ssl: true
      endpoint: http://minio.{{ .Release.Namespace }}.svc.cluster.local:9000
      region: us-east-1
  signedUrl:
    stowConfigOverride:
      endpoint: http://minio.{{ .Release.Namespace }}.svc.cluster.local:9000
{{- else if eq .Values.storage.type "custom" }}
{{- tpl (toYaml .Values.storage.custom) . | nindent 2 }}
{{- end }}
  enable-multicontainer: {{ .Values.storage.enableMultiContainer }}
  limits:
    maxDownloadMBs: {{ .Values.storage.limits.maxDownloadMBs }}
  cache:
    max_size_mbs: {{ .Values.storage.cache.maxSizeMBs }}
    target_gc_percent: {{ .Values.storage.cache.targetGCPercent }}
{{- end -}}

{{/* storage.yaml goes into ConfigMaps only when no storage.secretName is given */}}
{{- define "storage.inConfigMap" -}}{{ if not .Values.storage.secretName }}true{{ end }}{{- end -}}

{{/* Volumes/mounts for the db secret and the storage secret. */}}
{{- define "flyte.dbVolume" -}}
{{- with .Values.common.databaseSecret.name }}
- name: {{ . }}
  secret:
    secretName: {{ . }}
{{- end }}
{{- end -}}
{{- define "flyte.dbVolumeMount" -}}
{{- with .Values.common.databaseSecret.name }}
- name: {{ . }}
  mountPath: /etc/db
{{- end }}
{{- end -}}

{{/* config volume: the ConfigMap, plus the storage Secret projected into the same dir when set */}}
{{- define "flyte.configVolume" -}}
{{- $ctx := index . 0 -}}
- name: config-volume
  projected:
    sources:
    - configMap:
        name: {{ index . 1 }}
    {{- with $ctx.Values.storage.secretName }}
    - secret:
        name: {{ . }}
    {{- end }}
{{- end -}}

{{/* Render-time checks the real chart also makes. */}}
{{- define "flyte.validate" -}}
{{- if or (hasKey .Values.flyteadmin.serviceAccount "createClusterRole") (hasKey .Values.flyteadmin.serviceAccount "clusterRole") -}}
{{- fail "flyteadmin.serviceAccount.createClusterRole and flyteadmin.serviceAccount.clusterRole are no longer supported: use flyteadmin.serviceAccount.rbac and flyteadmin.serviceAccount.rbacScope" -}}
{{- end -}}
{{- range $c := list "flyteadmin" "flytepropeller" "webhook" -}}
{{- $scope := (index $.Values $c).serviceAccount.rbacScope | default "cluster" -}}
{{- if not (has $scope (list "cluster" "namespace")) -}}
{{- fail (printf "%s.serviceAccount.rbacScope must be \"cluster\" or \"namespace\", got %q" $c $scope) -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.storage.type "gcs") (not (and .Values.storage.gcs .Values.storage.gcs.projectId)) -}}
{{- fail "storage.gcs.projectId is required when storage.type is gcs" -}}
{{- end -}}
{{- if not (has .Values.storage.type (list "sandbox" "s3" "gcs" "custom")) -}}
{{- fail (printf "storage.type must be one of sandbox, s3, gcs, custom; got %q" .Values.storage.type) -}}
{{- end -}}
{{- end -}}
