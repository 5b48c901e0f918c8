# Debian's hardening flags for the binaries we ship (what dpkg-buildflags gives a Debian package
# build, with bindnow as in hardening=+all): stack protector, fortified libc calls, read-only
# relocations resolved at start. Release builds only: _FORTIFY_SOURCE needs optimisation, and the
# sanitizer builds (RelWithDebInfo, -fsanitize) must not mix it with their own interceptors.
# Debian's GCC already builds position-independent executables. lintian checks the result
# (installer/test-package.sh).
option(CWB_HARDENING "Build Release binaries with Debian's hardening flags" ON)
if(CWB_HARDENING AND CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    add_compile_options(-fstack-protector-strong)
    add_compile_definitions(_FORTIFY_SOURCE=2)
    add_link_options(LINKER:-z,relro LINKER:-z,now)
endif()
