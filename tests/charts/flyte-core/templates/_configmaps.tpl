{{/* The ConfigMaps, each defined once: rendered by its component's template and hashed into the
     configChecksum of the pods that read it, as flyte-core hashes its configmap.yaml files. Config file
     names, guards (a file is rendered when its values block is non-empty) and order follow flyte-core's
     templates/<component>/configmap.yaml. Not rendered: the files of optional modules this fixture does not have
     (spark.yaml, databricks.yaml, notifications.yaml, external_events.yaml, cloud_events.yaml). */}}

{{/* flyte-core templates/propeller/configmap.yaml */}}
{{- define "flyte.propellerConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-propeller-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flyteadmin") | nindent 4 }}
data:
  {{- range $file := list "admin" "catalog" "copilot" "core" "enabled_plugins" "k8s" "logger" "otel" "resource_manager" }}
  {{- if and (eq $file "catalog") (not $.Values.datacatalog.enabled) (semverCompare "<1.16.8-0" $.Chart.Version) }}
  {{- /* up to v1.16.7 the chart writes a noop catalog when datacatalog is disabled */}}
  catalog.yaml: |
    catalog-cache:
      type: noop
  {{- else }}
  {{- with index $.Values.configmap $file }}
  {{ $file }}.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- end }}
  {{- if include "storage.inConfigMap" . }}
  storage.yaml: |
    {{- include "storage.base" . | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.task_logs }}
  task_logs.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- if .Values.flyteconnector.enabled }}
  {{- with .Values.flyteconnector.plugin_config }}
  connector_service.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/* flyte-core templates/admin/configmap.yaml (two ConfigMaps) */}}
{{- define "flyte.adminConfigMaps" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-admin-clusters-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flyteadmin") | nindent 4 }}
data:
  {{- with .Values.configmap.clusters }}
  clusters.yaml: |
    clusters:
      {{- tpl (toYaml .) $ | nindent 6 }}
  {{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-admin-base-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flyteadmin") | nindent 4 }}
data:
  {{- with .Values.db.admin }}
  db.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- range $file, $key := dict "domain" "domain" "logger" "logger" "otel" "otel" "server" "adminServer" "remoteData" "remoteData" }}
  {{- /* dict ranges in key order: domain, logger, otel, remoteData, server (the real chart's order differs; the files do not) */}}
  {{- with index $.Values.configmap $key }}
  {{ $file }}.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- range $file := list "namespace_config" "clusterpool_config" }}
  {{- with index $.Values.configmap $file }}
  {{ $file }}.yaml: |
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- if include "storage.inConfigMap" . }}
  storage.yaml: |
    {{- include "storage.base" . | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.task_resource_defaults }}
  task_resource_defaults.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- if .Values.cluster_resource_manager.enabled }}
  {{- with .Values.cluster_resource_manager.config }}
  cluster_resources.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- if and .Values.workflow_scheduler.enabled (eq .Values.workflow_scheduler.type "aws") }}
  {{- with .Values.workflow_scheduler.config }}
  scheduler.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/* flyte-core templates/datacatalog/configmap.yaml */}}
{{- define "flyte.datacatalogConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: datacatalog-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "datacatalog") | nindent 4 }}
data:
  {{- with .Values.db.datacatalog }}
  db.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- range $file, $key := dict "otel" "otel" "logger" "logger" "server" "datacatalogServer" }}
  {{- with index $.Values.configmap $key }}
  {{ $file }}.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- if include "storage.inConfigMap" . }}
  storage.yaml: |
    {{- include "storage.base" . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* flyte-core templates/flytescheduler/configmap.yaml (native scheduler only) */}}
{{- define "flyte.schedulerConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-scheduler-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flytescheduler") | nindent 4 }}
data:
  {{- with .Values.configmap.admin }}
  admin.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- with .Values.db.admin }}
  db.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.schedulerConfig }}
  server.yaml: |
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.logger }}
  logger.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* flyte-core templates/clusterresourcesync/configmap.yaml */}}
{{- define "flyte.clusterresourcesyncConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-clusterresourcesync-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flyteadmin") | nindent 4 }}
data:
  {{- with .Values.cluster_resource_manager.config }}
  cluster_resources.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- if .Values.cluster_resource_manager.config.cluster_resources.standaloneDeployment }}
  {{- with .Values.configmap.admin }}
  admin.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- else }}
  {{- with .Values.db.admin }}
  db.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- with .Values.configmap.domain }}
  domain.yaml: |
    {{- tpl (toYaml .) $ | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.namespace_config }}
  namespace_config.yaml: |
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.configmap.clusters }}
  clusters.yaml: |
    clusters:
      {{- tpl (toYaml .) $ | nindent 6 }}
  {{- end }}
{{- end -}}

{{/* flyte-core templates/console/configmap.yaml */}}
{{- define "flyte.consoleConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: flyte-console-config
  namespace: {{ include "flyte.namespace" . }}
  labels: {{ include "flyte.labels" (list . "flyteconsole") | nindent 4 }}
data: {{ toYaml .Values.configmap.console | nindent 2 }}
{{- end -}}

{{/* configChecksum: include "flyte.checksum" (list . "flyte.propellerConfigMap") */}}
{{- define "flyte.checksum" -}}
{{ include (index . 1) (index . 0) | sha256sum | trunc 63 | quote }}
{{- end -}}
