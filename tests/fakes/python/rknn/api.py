"""A stand-in for rknn-toolkit2's rknn.api that checks the calls a build
script makes and writes the model file.

Every call is appended to FAKE_RKNN_LOG (one JSON line per call: method and
keyword arguments). FAKE_CONVERTER_MODE=fail makes build() return -1.
"""
import json
import os


def _log(method, **kwargs):
    path = os.environ.get("FAKE_RKNN_LOG")
    if path:
        with open(path, "a") as out:
            out.write(json.dumps({"method": method, "args": kwargs}) + "\n")


def _shape(value, where):
    if not (isinstance(value, list) and len(value) == 4 and
            all(isinstance(d, int) and d > 0 for d in value)):
        raise ValueError("%s: %r is not [n, c, h, w] of positive integers" % (where, value))


class RKNN:
    def __init__(self):
        self._config = None
        self._loaded = False
        self._built = False

    def config(self, target_platform=None, dynamic_input=None, **kwargs):
        _log("config", target_platform=target_platform, dynamic_input=dynamic_input, **kwargs)
        if not target_platform:
            raise ValueError("target_platform is required")
        if dynamic_input is not None:
            if not 1 <= len(dynamic_input) <= 512:
                raise ValueError("dynamic_input takes 1 to 512 shapes")
            for shapes in dynamic_input:
                if len(shapes) != 1:
                    raise ValueError("one shape per input expected")
                _shape(shapes[0], "dynamic_input")
        self._config = dict(kwargs, target_platform=target_platform,
                            dynamic_input=dynamic_input)

    def load_onnx(self, model, inputs=None, input_size_list=None):
        _log("load_onnx", model=model, inputs=inputs, input_size_list=input_size_list)
        if self._config is None:
            raise RuntimeError("config() must come before load_onnx()")
        if not os.path.isfile(model):
            return -1
        for shape in input_size_list or []:
            _shape(shape, "input_size_list")
        self._loaded = True
        return 0

    def build(self, do_quantization=True, dataset=None):
        _log("build", do_quantization=do_quantization)
        if not self._loaded:
            return -1
        if os.environ.get("FAKE_CONVERTER_MODE") == "fail":
            return -1
        self._built = True
        return 0

    def export_rknn(self, export_path):
        _log("export_rknn", export_path=export_path)
        if not self._built:
            return -1
        with open(export_path, "w") as out:
            json.dump({"tool": "rknn", "config": self._config}, out)
        return 0

    def release(self):
        _log("release")
