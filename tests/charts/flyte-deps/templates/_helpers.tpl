{{/* Names and labels as the real flyte-deps sets them. */}}
{{- define "deps.namespace" -}}{{ default .Release.Namespace .Values.forceNamespace }}{{- end -}}
{{- define "deps.chart" -}}{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}{{- end -}}

{{/* include "deps.selectorLabels" (list $ "minio") */}}
{{- define "deps.selectorLabels" -}}
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
{{- end -}}
{{- define "deps.labels" -}}
{{ include "deps.selectorLabels" . }}
helm.sh/chart: {{ include "deps.chart" (index . 0) }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
{{- end -}}

{{/* The pod template's metadata: labels plus <part>.podLabels (the fixture's fault hook), podAnnotations.
     include "deps.podMeta" (list $ "minio" .Values.minio) */}}
{{- define "deps.podMeta" -}}
{{- $v := index . 2 }}
{{- with $v.podAnnotations }}
annotations: {{ toYaml . | nindent 2 }}
{{- end }}
labels:
  {{- include "deps.labels" (list (index . 0) (index . 1)) | nindent 2 }}
  {{- with $v.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{- define "deps.podScheduling" -}}
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
