// The bundled base model's architecture: a small Llama (grouped-query attention,
// RoPE, RMSNorm, SwiGLU, tied embeddings) sized to pretrain on two CPU cores and
// to ship in a few megabytes. Token ids match the tokenizer from train-tokenizer.ts.
export const LAB_TINY_LLAMA_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: 4096,
  hidden_size: 256,
  intermediate_size: 704,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 64,
  hidden_act: 'silu',
  max_position_embeddings: 512,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  rope_scaling: null,
  attention_bias: false,
  mlp_bias: false,
  tie_word_embeddings: true,
  bos_token_id: 0,
  eos_token_id: 1,
  pad_token_id: 2,
  initializer_range: 0.02,
  torch_dtype: 'float32',
  transformers_version: '4.45.2',
};

/** generation_config.json: stop at <|eos|> and at ChatML's <|im_end|>. */
export const LAB_TINY_LLAMA_GENERATION = { bos_token_id: 0, eos_token_id: [1, 4], pad_token_id: 2 };
