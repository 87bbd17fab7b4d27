// The daemon relies on Unix sockets, inotify, stat(2) and /bin/sh: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
