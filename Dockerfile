# syntax=docker/dockerfile:1
# Multi-stage build: the SDK compiles and publishes, the slim ASP.NET runtime runs it as a non-root user.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Restore first, from the project and build files alone, so code changes reuse the cached layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ClickstreamApi/ClickstreamApi.csproj src/ClickstreamApi/
RUN dotnet restore src/ClickstreamApi/ClickstreamApi.csproj --runtime linux-x64
COPY appsettings.json ./
# The event schemas are built into the service (the registry formats register them).
COPY schemas/ schemas/
COPY src/ src/
RUN dotnet publish src/ClickstreamApi/ClickstreamApi.csproj --configuration Release --runtime linux-x64 \
    --self-contained false --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Listen on all interfaces inside the container (the app binds 127.0.0.1 only when nothing is configured),
# and log compact JSON for collectors.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Observability__LogFormat=Json
EXPOSE 8080
# The image's built-in unprivileged user.
USER $APP_UID
ENTRYPOINT ["dotnet", "ClickstreamApi.dll"]
