{{/* Ingress paths as in the real chart: every path with a /x and a /x/* variant. */}}
{{- define "flyte.ingressHttpPaths" -}}
{{- $ctx := index . 0 -}}
{{- if $ctx.Values.common.ingress.albSSLRedirect }}
- path: /*
  pathType: ImplementationSpecific
  backend:
    service:
      name: ssl-redirect
      port:
        name: use-annotation
{{- end }}
{{- range list "/console" "/console/*" }}
- path: {{ . }}
  pathType: ImplementationSpecific
  backend:
    service:
      name: flyteconsole
      port:
        number: 80
{{- end }}
{{- range list "/api" "/healthcheck" "/v1" ".well-known" "/login" "/logout" "/callback" "/me" "/config" "/oauth2" }}
{{- $p := ternary (printf "/%s" .) . (eq . ".well-known") }}
{{- range list $p (printf "%s/*" $p) }}
- path: {{ . }}
  pathType: ImplementationSpecific
  backend:
    service:
      name: flyteadmin
      port:
        number: 80
{{- end }}
{{- end }}
{{- end -}}
{{- define "flyte.ingressGrpcPaths" -}}
{{- $port := index . 1 -}}
{{- range list "/flyteidl.service.SignalService" "/flyteidl.service.AdminService" "/flyteidl.service.DataProxyService" "/flyteidl.service.AuthMetadataService" "/flyteidl.service.IdentityService" "/grpc.health.v1.Health" }}
{{- range list . (printf "%s/*" .) }}
- path: {{ . }}
  pathType: ImplementationSpecific
  backend:
    service:
      name: flyteadmin
      port:
        number: {{ $port }}
{{- end }}
{{- end }}
{{- end -}}
