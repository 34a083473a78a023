{{/* Ingress paths as in flyte-core templates/common/ingress.yaml, in its order. */}}
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
{{- if $ctx.Values.common.ingress.webpackHMR }}
- path: /__webpack_hmr
  pathType: ImplementationSpecific
  backend:
    service:
      name: flyteconsole
      port:
        number: 80
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
{{- /* /healthcheck and /me have no "/*" variant there, /v1 has only "/v1/*" */}}
{{- range list "/api" "/api/*" "/healthcheck" "/v1/*" "/.well-known" "/.well-known/*" "/login" "/login/*" "/logout" "/logout/*" "/callback" "/callback/*" "/me" "/config" "/config/*" "/oauth2" "/oauth2/*" }}
- path: {{ . }}
  pathType: ImplementationSpecific
  backend:
    service:
      name: flyteadmin
      port:
        number: 80
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
