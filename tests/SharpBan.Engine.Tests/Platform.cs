// The product is Linux only (Unix sockets, inotify, /bin/sh); so are its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
