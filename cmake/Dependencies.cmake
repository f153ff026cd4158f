# Finds every library budgetpress uses. When some are missing, configuration stops with the one
# apt-get line that installs all of them, rather than failing on the first.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

set(BP_MISSING_PACKAGES "")

# bp_require_pc(<target-prefix> <pkg-config name> <Debian package>)
macro(bp_require_pc prefix module debian)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    list(APPEND BP_MISSING_PACKAGES ${debian})
  endif()
endmacro()

bp_require_pc(BP_FREETYPE freetype2 libfreetype-dev)
bp_require_pc(BP_HARFBUZZ harfbuzz libharfbuzz-dev)
bp_require_pc(BP_HBSUBSET harfbuzz-subset libharfbuzz-dev)
bp_require_pc(BP_JANSSON jansson libjansson-dev)
bp_require_pc(BP_UNIBREAK libunibreak libunibreak-dev)
bp_require_pc(BP_ZLIB zlib zlib1g-dev)
bp_require_pc(BP_PNG libpng libpng-dev)
# compare: the record a PDF carries read through qpdf; a PDF without one drawn and read by
# poppler (through its GLib interface, which draws with cairo).
bp_require_pc(BP_QPDF libqpdf libqpdf-dev)
bp_require_pc(BP_POPPLER poppler-glib libpoppler-glib-dev)
bp_require_pc(BP_CAIRO cairo libcairo2-dev)
if(BP_TESTS)
  bp_require_pc(BP_CMOCKA cmocka libcmocka-dev)
endif()

# Debian's libharu ships no pkg-config file.
find_path(BP_HPDF_INCLUDE hpdf.h)
find_library(BP_HPDF_LIBRARY hpdf)
if(NOT BP_HPDF_INCLUDE OR NOT BP_HPDF_LIBRARY)
  list(APPEND BP_MISSING_PACKAGES libhpdf-dev)
else()
  add_library(bp_hpdf INTERFACE)
  target_include_directories(bp_hpdf INTERFACE ${BP_HPDF_INCLUDE})
  target_link_libraries(bp_hpdf INTERFACE ${BP_HPDF_LIBRARY})
endif()

# The pinned fonts (fonts/fonts.json): present, and the very files every page was made with.
file(READ ${PROJECT_SOURCE_DIR}/fonts/fonts.json bp_fonts_json)
string(JSON bp_font_count LENGTH "${bp_fonts_json}")
math(EXPR bp_font_last "${bp_font_count} - 1")
foreach(i RANGE ${bp_font_last})
  string(JSON bp_font_key MEMBER "${bp_fonts_json}" ${i})
  string(JSON bp_font_path GET "${bp_fonts_json}" ${bp_font_key} path)
  string(JSON bp_font_package GET "${bp_fonts_json}" ${bp_font_key} package)
  string(JSON bp_font_sha GET "${bp_fonts_json}" ${bp_font_key} sha256)
  if(NOT EXISTS ${bp_font_path})
    list(APPEND BP_MISSING_PACKAGES ${bp_font_package})
  else()
    file(SHA256 ${bp_font_path} bp_font_actual)
    if(NOT bp_font_actual STREQUAL bp_font_sha)
      message(FATAL_ERROR "${bp_font_path} is not the pinned font file (SHA-256 ${bp_font_actual}, "
                          "expected ${bp_font_sha}): pages would differ between machines. "
                          "See fonts/README.md.")
    endif()
  endif()
endforeach()

if(BP_MISSING_PACKAGES)
  list(REMOVE_DUPLICATES BP_MISSING_PACKAGES)
  list(JOIN BP_MISSING_PACKAGES " " bp_missing_line)
  message(FATAL_ERROR
    "budgetpress needs libraries that are not installed. Run, as root:\n"
    "  apt-get install -y ${bp_missing_line}\n")
endif()
