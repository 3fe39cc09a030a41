// Options users add to an external converter (--atc_arg, --lite_arg,
// --lite_config; atc_args, lite_args, lite_config in a jobs file), and the
// input names written into a converter's argument or config file. Checked
// before anything runs: none may set what autoscale itself sets, none may
// hold a character that would break the format it is written in, and the
// files they name must exist (so convert.sh can carry them along).
//
// Syntax as documented by the converters:
//  - ATC takes `--name=value` arguments; --insert_op_conf (AIPP),
//    --op_precision_mode, --fusion_switch_file, --keep_dtype,
//    --customize_dtypes and --modify_mixlist name files. See the ATC
//    parameter reference, e.g.
//    https://www.hiascend.com/document/detail/zh/canncommercial/latest/devaids/atctool/atlasatcparam_16_0044.html
//    (--insert_op_conf) and .../atlasatcparam_16_0020.html (--dynamic_dims:
//    with --input_format=ND; not together with --insert_op_conf).
//  - converter_lite takes `--name=value` arguments and a config file of
//    `[section]` lines and `key=value` lines; [ascend_context] keys
//    insert_op_config_file_path and fusion_switch_config_file_path name
//    files. See
//    https://mindspore.cn/lite/docs/en/master/mindir/converter_tool_ascend.html
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "convert/backend.h"

namespace autoscale {

// "--name=value" split; has_value false for a bare "--name".
struct ConverterArg {
  std::string name;  // without the leading "--"
  std::string value;
  bool has_value = false;
};
ConverterArg SplitConverterArg(const std::string& arg);

// "section.key=value" split at the first '.' and the first '=' after it.
struct ConfigEntry {
  std::string section;
  std::string key;
  std::string value;
};
Result<ConfigEntry> SplitConfigEntry(const std::string& entry);

// Whether ATC option `name` (no "--") names a file.
bool AtcFileOption(const std::string& name);
// Whether converter_lite config key `section`.`key` names a file.
bool LiteFileKey(const std::string& section, const std::string& key);

// The same argument or entry with the file it names (if it names one)
// replaced by map(file); others unchanged.
std::string MapAtcArgFile(const std::string& arg,
                          const std::function<std::string(const std::string&)>& map);
std::string MapLiteEntryFile(const std::string& entry,
                             const std::function<std::string(const std::string&)>& map);

// The files options.atc_args (for "atc") or options.lite_config (for
// "lite") name, in order; none for other backends.
std::vector<std::string> ConverterFiles(const ConvertOptions& options);

// Each list on its own: "" names no flag; the error quotes the argument or
// entry.
Status CheckAtcArgs(const std::vector<std::string>& args);
Status CheckLiteArgs(const std::vector<std::string>& args);
Status CheckLiteConfig(const std::vector<std::string>& entries);

// Checks atc_mode, atc_args, lite_args and lite_config: syntax, options
// autoscale sets (the error names the flag or key that sets them), newlines
// and separators (named), and that every file named exists.
Status CheckConverterOptions(const ConvertOptions& options);

// Checks that input `name` holds none of `unsafe` (nor a control
// character): `format` says where it would be written ("atc --input_shape").
Status CheckInputNameFor(const std::string& name, const std::string& unsafe,
                         const std::string& format);

// How a character reads in a message: "a newline", "':'".
std::string DescribeChar(char c);

}  // namespace autoscale
