# Builds a tiny offline tokenizer (no hub access): whitespace WordLevel, vocabulary trained on
# the Shakespeare text that aiperf ships. Run with the aiperf venv's python:
#   python make_tokenizer.py OUT_DIR      -> OUT_DIR/{tokenizer.json,tokenizer_config.json}
# Token counts in the comparison come from the mock's usage; the tokenizer is only loaded.
import json, os, sys
import aiperf
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

out = sys.argv[1]
corpus = os.path.join(os.path.dirname(aiperf.__file__), "dataset/generator/assets/shakespeare.txt")
tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
tok.train([corpus], trainers.WordLevelTrainer(special_tokens=["<unk>", "<pad>", "<s>", "</s>"]))
fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>",
                               bos_token="<s>", eos_token="</s>")
fast.save_pretrained(out)
cfg_path = os.path.join(out, "tokenizer_config.json")
with open(cfg_path) as f:
    cfg = json.load(f)
cfg["tokenizer_class"] = "PreTrainedTokenizerFast"  # loadable by older transformers too
cfg["model_max_length"] = 1000000
with open(cfg_path, "w") as f:
    json.dump(cfg, f, indent=2)
print(out, sorted(os.listdir(out)), "vocab", tok.get_vocab_size())
