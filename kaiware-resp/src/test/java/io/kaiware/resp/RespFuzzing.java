package io.kaiware.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Shared by the property and fuzz tests: encode requests as a client would, compare by value. */
final class RespFuzzing {
  private RespFuzzing() {}

  static byte[] encode(List<List<byte[]>> pipeline) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (List<byte[]> request : pipeline) {
      out.writeBytes(("*" + request.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte[] arg : request) {
        out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(arg);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  /** byte[] has identity equality: compare hex strings instead. */
  static List<List<String>> normalise(List<List<byte[]>> pipeline) {
    List<List<String>> out = new ArrayList<>();
    for (List<byte[]> request : pipeline) {
      List<String> args = new ArrayList<>();
      for (byte[] arg : request) {
        args.add(HexFormat.of().formatHex(arg));
      }
      out.add(args);
    }
    return out;
  }
}
