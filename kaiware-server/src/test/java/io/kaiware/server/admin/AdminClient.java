package io.kaiware.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the admin port in tests. */
final class AdminClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  AdminClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  private HttpRequest request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.GET().build();
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> bytes(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<InputStream> stream(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofInputStream());
  }
}
