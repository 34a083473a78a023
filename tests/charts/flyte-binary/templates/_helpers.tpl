{{/* Names and labels as the real flyte-binary sets them (NEXT-CAPABILITIES.md §4.2). */}}
{{- define "fb.name" -}}{{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "fb.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{ .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "fb.name" .) .Release.Name -}}
{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else -}}
{{ printf "%s-%s" .Release.Name (include "fb.name" .) | trunc 63 | trimSuffix "-" }}
{{- end -}}
{{- end -}}
{{- define "fb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: flyte-binary
{{- end -}}
{{- define "fb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "fb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}
{{/* metadata of every object: include "fb.meta" (list $ "name-suffix" .Values.x.labels .Values.x.annotations) */}}
{{- define "fb.meta" -}}
{{- $ctx := index . 0 -}}
name: {{ include "fb.fullname" $ctx }}{{ index . 1 }}
namespace: {{ $ctx.Release.Namespace | quote }}
labels:
  {{- include "fb.labels" $ctx | nindent 2 }}
  {{- with index . 2 }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  {{- with $ctx.Values.commonAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- range (slice . 3) }}
  {{- with . }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- end }}
{{- end -}}
{{- define "fb.external" -}}{{ or .Values.configuration.externalConfigMap .Values.configuration.externalSecretRef }}{{- end -}}
{{- define "fb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "fb.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}
{{- define "fb.httpPort" -}}{{ default 8088 .Values.service.ports.http }}{{- end -}}
{{- define "fb.grpcPort" -}}{{ default 8089 .Values.service.ports.grpc }}{{- end -}}
{{- define "fb.rawOutputPrefix" -}}
{{- $bucket := required "User data container required" .Values.configuration.storage.userDataContainer -}}
{{- $scheme := get (dict "s3" "s3" "gcs" "gs" "azure" "abfs") .Values.configuration.storage.provider -}}
{{ printf "%s://%s/data" $scheme $bucket }}
{{- end -}}
{{- define "fb.grpcPaths" -}}
- /flyteidl.service.AdminService
- /flyteidl.service.AdminService/*
- /flyteidl.service.AuthMetadataService
- /flyteidl.service.AuthMetadataService/*
- /flyteidl.service.DataProxyService
- /flyteidl.service.DataProxyService/*
- /flyteidl.service.IdentityService
- /flyteidl.service.IdentityService/*
- /flyteidl.service.SignalService
- /flyteidl.service.SignalService/*
- /grpc.health.v1.Health
- /grpc.health.v1.Health/*
{{- end -}}
{{- define "fb.httpPaths" -}}
- /console
- /console/*
- /api
- /api/*
- /healthcheck
- /v1/*
- /.well-known
- /.well-known/*
- /login
- /login/*
- /logout
- /logout/*
- /callback
- /callback/*
- /me
- /config
- /config/*
- /oauth2
- /oauth2/*
{{- end -}}
